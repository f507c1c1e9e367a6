//! Parsers' messages (serde_json, toml, serde's data errors, chrono) said in Vietnamese. A user
//! never reads the parser's English: a message this module does not know becomes "sai cú pháp",
//! with the place the parser gave. Names the user typed (fields, values) are kept, in quotes.

/// A parser's message in Vietnamese, with serde_json's " at line L column C" as "(dòng L, cột C)".
pub fn serde_message(message: &str) -> String {
    let message = message.trim();
    let (text, place) = match message.rsplit_once(" at line ") {
        Some((text, place)) => (text, place.split_once(" column ")),
        None => (message, None),
    };
    let vi = words(text.trim());
    match place {
        Some((line, column)) => format!("{vi} (dòng {}, cột {})", line.trim(), column.trim()),
        None => vi,
    }
}

/// The name between the first pair of backticks: "unknown field `vae`, …" → "vae".
fn ticked(text: &str) -> Option<&str> {
    let start = text.find('`')? + 1;
    let end = text[start..].find('`')? + start;
    Some(&text[start..end])
}

fn quoted(name: Option<&str>) -> String {
    name.map_or_else(String::new, |n| format!(" \"{n}\""))
}

fn words(text: &str) -> String {
    let data = |prefix: &str| text.strip_prefix(prefix);
    if let Some(rest) = data("missing field ") {
        return format!("thiếu trường{}", quoted(ticked(rest)));
    }
    if let Some(rest) = data("unknown field ") {
        return format!("trường{} không có trong định dạng", quoted(ticked(rest)));
    }
    if let Some(rest) = data("duplicate field ") {
        return format!("trường{} có hai lần", quoted(ticked(rest)));
    }
    if let Some(rest) = data("unknown variant ") {
        return format!("giá trị{} không có trong định dạng", quoted(ticked(rest)));
    }
    if let Some(rest) = data("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!("sai kiểu giá trị: gặp {}{}", unexpected(found), expectation(expected));
    }
    if let Some(rest) = data("invalid value: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!("giá trị không hợp lệ: {}{}", unexpected(found), expectation(expected));
    }
    if text.starts_with("invalid length ") {
        return "số phần tử không đúng".into();
    }
    // A message a deserialiser of ours wrote in Vietnamese (serde's `custom`) is kept as it is.
    if text.chars().any(|c| !c.is_ascii() && c.is_alphabetic()) {
        return text.to_string();
    }
    if text.starts_with("premature end of datetime") || text.contains("datetime") {
        return "ngày giờ không đầy đủ hoặc sai định dạng".into();
    }
    syntax(text).to_string()
}

/// serde's description of what it found: "string \"ba\"", "integer `5`", "sequence".
fn unexpected(found: &str) -> String {
    let value = found.find(['"', '`']).map(|i| found[i..].trim_matches(['"', '`'])).unwrap_or("");
    let kind = match found.split([' ', '"', '`']).next().unwrap_or("") {
        "string" => "chuỗi",
        "integer" => "số nguyên",
        "floating" => "số thập phân",
        "boolean" => "giá trị đúng/sai",
        "sequence" => "danh sách",
        "map" => "đối tượng",
        "null" | "unit" => "giá trị rỗng",
        "character" => "ký tự",
        _ => "giá trị khác",
    };
    if value.is_empty() { kind.to_string() } else { format!("{kind} \"{value}\"") }
}

/// serde's expectation, when it is one users can act on.
fn expectation(expected: &str) -> &'static str {
    let e = expected.trim();
    if e.contains("string") || e.contains("date") {
        ", cần một chuỗi"
    } else if ["u8", "u16", "u32", "u64", "usize", "i8", "i16", "i32", "i64", "isize", "an integer"].iter().any(|t| e.contains(t)) {
        ", cần một số nguyên"
    } else if e.contains("f64") || e.contains("f32") || e.contains("number") || e.contains("decimal") {
        ", cần một số"
    } else if e.contains("bool") {
        ", cần đúng/sai"
    } else if e.starts_with("struct") || e.contains("map") {
        ", cần một đối tượng { … }"
    } else if e.contains("sequence") || e.contains("array") {
        ", cần một danh sách [ … ]"
    } else {
        ""
    }
}

/// The syntax errors of serde_json and toml, by what they mean to someone editing the file.
fn syntax(text: &str) -> &'static str {
    const TABLE: &[(&str, &str)] = &[
        ("EOF while parsing", "tệp kết thúc giữa chừng (thiếu phần cuối)"),
        ("premature end of input", "tệp kết thúc giữa chừng (thiếu phần cuối)"),
        ("unexpected end of input", "tệp kết thúc giữa chừng (thiếu phần cuối)"),
        ("expected `,` or `}`", "thiếu dấu phẩy hoặc dấu }"),
        ("expected `,` or `]`", "thiếu dấu phẩy hoặc dấu ]"),
        ("expected `:`", "thiếu dấu hai chấm sau tên trường"),
        ("expected value", "thiếu giá trị hoặc giá trị không hợp lệ"),
        ("expected ident", "giá trị không hợp lệ (chỉ có true, false, null)"),
        ("key must be a string", "tên trường phải đặt trong ngoặc kép"),
        ("trailing comma", "dấu phẩy thừa trước dấu đóng"),
        ("trailing", "ký tự thừa sau nội dung"),
        ("control character", "chuỗi chứa ký tự điều khiển (xuống dòng, tab) chưa viết thành \\n, \\t"),
        ("invalid escape", "ký tự thoát (\\) không hợp lệ trong chuỗi"),
        ("invalid unicode code point", "mã Unicode không hợp lệ trong chuỗi"),
        ("lone leading surrogate", "mã Unicode không hợp lệ trong chuỗi"),
        ("unexpected end of hex escape", "mã Unicode không hợp lệ trong chuỗi"),
        ("number out of range", "số quá lớn"),
        ("invalid number", "số không hợp lệ"),
        // serde_json's "recursion limit exceeded", toml's "recursion limit" and "cannot recurse
        // further; max recursion depth met".
        ("recursion limit", "dữ liệu lồng nhau quá sâu"),
        ("max recursion depth", "dữ liệu lồng nhau quá sâu"),
        ("input is out of range", "ngày giờ không có thật"),
        ("input contains invalid characters", "ngày giờ chứa ký tự không hợp lệ"),
        ("input is not enough for unique date and time", "ngày giờ không đầy đủ"),
        ("premature end of input", "ngày giờ không đầy đủ"),
        ("trailing input", "ngày giờ có ký tự thừa"),
        ("duplicate key", "khóa bị trùng"),
        ("unclosed", "thiếu dấu đóng ] hoặc }"),
        ("string values must be quoted", "chuỗi phải đặt trong ngoặc kép"),
        ("missing opening quote", "thiếu dấu ngoặc kép mở"),
        ("missing closing quote", "thiếu dấu ngoặc kép đóng"),
        ("invalid basic string", "chuỗi chứa ký tự không hợp lệ"),
        ("invalid literal string", "chuỗi chứa ký tự không hợp lệ"),
        ("key with no value", "khóa thiếu giá trị (dấu = và giá trị)"),
        ("missing array opening", "thiếu dấu [ mở danh sách"),
        ("unquoted keys cannot be empty", "khóa rỗng"),
        ("invalid unquoted key", "khóa chứa ký tự không hợp lệ (chỉ chữ, số, -, _)"),
        ("invalid key", "khóa không hợp lệ"),
        ("invalid float", "số thập phân không hợp lệ"),
        ("invalid integer", "số nguyên không hợp lệ"),
        ("invalid comment", "chú thích chứa ký tự không hợp lệ"),
        ("invalid table header", "tên bảng không hợp lệ"),
        ("invalid inline table", "bảng trên một dòng không hợp lệ"),
        ("invalid array", "danh sách không hợp lệ"),
        ("invalid datetime", "ngày giờ không hợp lệ"),
        ("invalid", "giá trị không hợp lệ"),
        ("unexpected", "ký tự không đúng chỗ"),
        ("expected newline", "thiếu xuống dòng sau giá trị"),
        ("expected", "sai cú pháp"),
    ];
    TABLE.iter().find(|(english, _)| text.contains(english)).map_or("sai cú pháp", |(_, vi)| vi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parser_messages_in_vietnamese() {
        assert_eq!(serde_message("missing field `channel` at line 1 column 80"), "thiếu trường \"channel\" (dòng 1, cột 80)");
        assert_eq!(
            serde_message("unknown variant `lost`, expected one of `received`, `resolved`"),
            "giá trị \"lost\" không có trong định dạng"
        );
        assert_eq!(serde_message("invalid type: string \"ba\", expected u8"), "sai kiểu giá trị: gặp chuỗi \"ba\", cần một số nguyên");
        assert_eq!(serde_message("input is out of range at line 1 column 30"), "ngày giờ không có thật (dòng 1, cột 30)");
        assert_eq!(serde_message("expected `,` or `}`"), "thiếu dấu phẩy hoặc dấu }");
        assert_eq!(serde_message("cannot recurse further; max recursion depth met"), "dữ liệu lồng nhau quá sâu");
        assert_eq!(serde_message("recursion limit"), "dữ liệu lồng nhau quá sâu");
        assert_eq!(
            serde_message("EOF while parsing an object at line 3 column 1"),
            "tệp kết thúc giữa chừng (thiếu phần cuối) (dòng 3, cột 1)"
        );
        assert_eq!(serde_message("duplicate field `code` at line 118 column 12"), "trường \"code\" có hai lần (dòng 118, cột 12)");
        assert_eq!(serde_message("unclosed array table, expected `]]`"), "thiếu dấu đóng ] hoặc }");
        assert_eq!(serde_message("chỉ tiêu 1.1: trường `numerator` không dùng"), "chỉ tiêu 1.1: trường `numerator` không dùng");
        // What is not known is still not English.
        assert_eq!(serde_message("some new parser complaint"), "sai cú pháp");
    }
}
