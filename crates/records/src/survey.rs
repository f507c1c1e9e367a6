//! The satisfaction survey at the counter (khảo sát sự hài lòng): the questions as data (by
//! default the five SIPAS factors on a 1–5 scale), one answer per receipt code, and the
//! results by unit, procedure, field and period.
