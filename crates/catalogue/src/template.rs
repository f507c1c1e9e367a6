//! The placeholders of the catalogue's texts: rule messages (`{left}`), sentence templates
//! (`{3.6.6}`, `{3.6.6:cmp}`, `{where}`, optional parts in `[ … ]`) and weaknesses (`{value}`).
//! Read here so that a catalogue is checked when it is loaded; the validation and the documents
//! fill them.

/// Every `{…}` of `text`, in order, or why the text cannot be read (Vietnamese). With
/// `optional_parts`, `[` and `]` outside placeholders open and close an optional part, which
/// must be balanced and not nested.
pub fn placeholders(text: &str, optional_parts: bool) -> Result<Vec<&str>, String> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut in_optional = false;
    for (i, c) in text.char_indices() {
        match (c, open) {
            ('{', Some(_)) => return Err(format!("dấu {{ ở vị trí {i} mở khi dấu {{ trước chưa đóng")),
            ('{', None) => open = Some(i),
            ('}', Some(start)) => {
                out.push(&text[start + 1..i]);
                open = None;
            }
            ('}', None) => return Err(format!("dấu }} ở vị trí {i} không có dấu {{ mở")),
            ('[', None) if optional_parts => {
                if in_optional {
                    return Err(format!("phần tùy chọn [ ở vị trí {i} lồng trong phần tùy chọn khác"));
                }
                in_optional = true;
            }
            (']', None) if optional_parts => {
                if !in_optional {
                    return Err(format!("dấu ] ở vị trí {i} không có dấu [ mở"));
                }
                in_optional = false;
            }
            _ => {}
        }
    }
    if let Some(start) = open {
        return Err(format!("dấu {{ ở vị trí {start} không đóng"));
    }
    if in_optional {
        return Err("phần tùy chọn [ không đóng".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn reads_placeholders_and_refuses_unbalanced_text() {
        assert_eq!(placeholders("{where}Số {left} khác {right_terms}", false).unwrap(), vec!["where", "left", "right_terms"]);
        assert_eq!(
            placeholders("Tổng {3.5.1}[ ({where})][, trực tuyến {3.5.2[level=xa]}]{3.6.6:cmp}.", true).unwrap(),
            vec!["3.5.1", "where", "3.5.2[level=xa]", "3.6.6:cmp"]
        );
        assert!(placeholders("Số {left", false).is_err());
        assert!(placeholders("Số left}", false).is_err());
        assert!(placeholders("Số {le{ft}", false).is_err());
        assert!(placeholders("Tổng [ {3.5.1}", true).is_err());
        assert!(placeholders("Tổng [[{3.5.1}]]", true).is_err());
        assert!(placeholders("Tổng {3.5.1}]", true).is_err());
        // Brackets are plain text in rule messages.
        assert!(placeholders("Tổng [ {left}", false).is_ok());
    }
}
