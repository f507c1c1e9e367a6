//! Inspections (kiểm tra công tác CCHC): the year's inspection plan (the units to inspect, by
//! whom, when), the inspections done, their findings, the recommendations (kiến nghị) and their
//! follow-up; "đã kiểm tra 11/26 đơn vị" and the open recommendations are derived from them.
