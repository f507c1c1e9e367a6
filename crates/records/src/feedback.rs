//! Citizens' feedback and petitions (phản ánh, kiến nghị: PAKN): intake from any channel, the
//! procedure or dossier concerned, assignment, the answer and its due date in working days; the
//! figures received, answered and answered in time are derived from them.
