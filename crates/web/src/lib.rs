//! The web application (issue 5): work in progress. Assets in `assets/` are vendored so that the
//! application works on an intranet without internet access.
