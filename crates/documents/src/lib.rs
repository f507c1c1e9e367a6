//! The report documents (issue 4). Today: Vietnamese sentences generated from the validated
//! figures ([`text`]), so that every number in the text is the number in the appendix. The DOCX
//! (Decree 30/2020 layout) and XLSX appendix are still to be written.

pub mod text;
