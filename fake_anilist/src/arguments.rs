//! Reads one field's arguments out of a query's text. Clients pass arguments both inline
//! (`perChunk: 500, type: ANIME`, as AniList's own examples do) and through variables
//! (`chunk: $chunk`), so the newer operations read them here instead of looking only at
//! `variables`. This is no GraphQL parser: it finds the first `field(` in the text and reads
//! the literals and `$variable` references up to the matching `)`.

use serde_json::{Map, Number, Value};

/// A field's arguments with variables substituted. An argument bound to a variable the
/// request did not send is left out, as GraphQL treats it as not given.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Arguments(Map<String, Value>);

impl Arguments {
    /// The arguments of the first `field(…)` in `query` (none when the field has no
    /// parentheses or does not occur).
    ///
    /// # Errors
    /// A message for a syntax error inside the parentheses.
    pub(crate) fn of_field(query: &str, field: &str, variables: &Value) -> Result<Self, String> {
        let Some(open) = find_field_call(query, field) else {
            return Ok(Self::default());
        };
        let mut reader = Reader {
            text: query,
            pos: open + 1,
            variables,
        };
        reader
            .arguments()
            .map(Self)
            .map_err(|problem| format!("Syntax error in the arguments of {field}: {problem}."))
    }

    /// `null` counts as absent, the way AniList treats unset arguments.
    fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|value| !value.is_null())
    }

    pub(crate) fn int(&self, name: &str) -> Result<Option<i64>, String> {
        self.typed(name, "Int", Value::as_i64)
    }

    pub(crate) fn float(&self, name: &str) -> Result<Option<f64>, String> {
        self.typed(name, "Float", Value::as_f64)
    }

    /// A `String` argument or an enum value (enum literals are read as strings).
    pub(crate) fn string(&self, name: &str) -> Result<Option<&str>, String> {
        self.typed(name, "String", Value::as_str)
    }

    pub(crate) fn int_list(&self, name: &str) -> Result<Option<Vec<i64>>, String> {
        self.typed(name, "[Int]", |value| {
            value.as_array()?.iter().map(Value::as_i64).collect()
        })
    }

    fn typed<'a, T>(
        &'a self,
        name: &str,
        type_name: &str,
        read: impl FnOnce(&'a Value) -> Option<T>,
    ) -> Result<Option<T>, String> {
        match self.get(name) {
            None => Ok(None),
            Some(value) => read(value).map(Some).ok_or_else(|| {
                format!("Argument \"{name}\" got invalid value {value}; expected type {type_name}.")
            }),
        }
    }
}

/// Byte index of the `(` after the first whole-word occurrence of `field`.
fn find_field_call(query: &str, field: &str) -> Option<usize> {
    query.match_indices(field).find_map(|(start, _)| {
        let before = query[..start].chars().next_back();
        if before.is_some_and(is_name_char) {
            return None;
        }
        let after = &query[start + field.len()..];
        let open = after.len() - after.trim_start().len();
        after[open..]
            .starts_with('(')
            .then_some(start + field.len() + open)
    })
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

struct Reader<'q> {
    text: &'q str,
    pos: usize,
    variables: &'q Value,
}

impl<'q> Reader<'q> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// Whitespace and commas separate tokens in GraphQL; neither carries meaning.
    fn skip_separators(&mut self) {
        while self.peek().is_some_and(|c| c.is_whitespace() || c == ',') {
            self.bump();
        }
    }

    fn expect(&mut self, wanted: char) -> Result<(), String> {
        self.skip_separators();
        match self.bump() {
            Some(c) if c == wanted => Ok(()),
            Some(c) => Err(format!("expected '{wanted}', found '{c}'")),
            None => Err(format!("expected '{wanted}', found the end")),
        }
    }

    fn name(&mut self) -> Result<&'q str, String> {
        self.skip_separators();
        let start = self.pos;
        while self.peek().is_some_and(is_name_char) {
            self.bump();
        }
        if self.pos == start {
            return Err("expected a name".to_owned());
        }
        let text = self.text;
        Ok(&text[start..self.pos])
    }

    /// `name: value` pairs up to `)` (the `(` is already consumed).
    fn arguments(&mut self) -> Result<Map<String, Value>, String> {
        self.fields(')')
    }

    fn fields(&mut self, close: char) -> Result<Map<String, Value>, String> {
        let mut fields = Map::new();
        loop {
            self.skip_separators();
            if self.peek() == Some(close) {
                self.bump();
                return Ok(fields);
            }
            let name = self.name()?.to_owned();
            self.expect(':')?;
            if let Some(value) = self.value()? {
                fields.insert(name, value);
            }
        }
    }

    /// `None` for a reference to a variable the request did not send.
    fn value(&mut self) -> Result<Option<Value>, String> {
        self.skip_separators();
        match self.peek() {
            Some('$') => {
                self.bump();
                let name = self.name()?;
                Ok(self.variables.get(name).cloned())
            }
            Some('"') => self.string().map(|s| Some(Value::String(s))),
            Some('[') => {
                self.bump();
                let mut items = Vec::new();
                loop {
                    self.skip_separators();
                    if self.peek() == Some(']') {
                        self.bump();
                        return Ok(Some(Value::Array(items)));
                    }
                    items.push(self.value()?.unwrap_or(Value::Null));
                }
            }
            Some('{') => {
                self.bump();
                self.fields('}').map(|fields| Some(Value::Object(fields)))
            }
            Some(c) if c == '-' || c.is_ascii_digit() => self.number().map(Some),
            Some(_) => Ok(Some(match self.name()? {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                "null" => Value::Null,
                enum_value => Value::String(enum_value.to_owned()),
            })),
            None => Err("expected a value, found the end".to_owned()),
        }
    }

    fn number(&mut self) -> Result<Value, String> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
        {
            self.bump();
        }
        let text = &self.text[start..self.pos];
        if let Ok(int) = text.parse::<i64>() {
            return Ok(Value::from(int));
        }
        text.parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("bad number {text}"))
    }

    fn string(&mut self) -> Result<String, String> {
        self.bump();
        let mut string = String::new();
        loop {
            match self.bump() {
                None => return Err("unterminated string".to_owned()),
                Some('"') => return Ok(string),
                Some('\\') => string.push(self.escape()?),
                Some(c) => string.push(c),
            }
        }
    }

    fn escape(&mut self) -> Result<char, String> {
        Ok(match self.bump() {
            Some('n') => '\n',
            Some('t') => '\t',
            Some('r') => '\r',
            Some('b') => '\u{8}',
            Some('f') => '\u{c}',
            Some('u') => {
                let hex = self.text.get(self.pos..self.pos + 4).unwrap_or_default();
                let c = u32::from_str_radix(hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or_else(|| format!("bad escape \\u{hex}"))?;
                self.pos += 4;
                c
            }
            Some(c) => c,
            None => return Err("unterminated string".to_owned()),
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn args(query: &str, field: &str, variables: Value) -> Arguments {
        Arguments::of_field(query, field, &variables).unwrap()
    }

    #[test]
    fn reads_literals_and_variables_and_leaves_out_unsent_variables() {
        let query = "query ($userId: Int, $chunk: Int) {
          MediaListCollection (userId: $userId, type: ANIME, chunk: $chunk, perChunk: 500,
                               forceSingleCompletedList: true) { hasNextChunk } }";
        let read = args(query, "MediaListCollection", json!({"userId": 7}));
        assert_eq!(read.int("userId"), Ok(Some(7)));
        assert_eq!(read.string("type"), Ok(Some("ANIME")));
        assert_eq!(read.int("chunk"), Ok(None));
        assert_eq!(read.int("perChunk"), Ok(Some(500)));
        assert_eq!(read.0.get("forceSingleCompletedList"), Some(&json!(true)));
    }

    #[test]
    fn reads_strings_lists_objects_and_negative_or_float_numbers() {
        let query = r#"mutation { SaveMediaListEntry(mediaId: 5 notes: "a, \"b\"\n\u00e9"
            score: 7.5, progress: -1, customLists: [$first, "Faves"],
            startedAt: {year: 2024, month: 4}) { id } }"#;
        let read = args(query, "SaveMediaListEntry", json!({"first": "Comfy"}));
        assert_eq!(read.int("mediaId"), Ok(Some(5)));
        assert_eq!(read.string("notes"), Ok(Some("a, \"b\"\né")));
        assert_eq!(read.float("score"), Ok(Some(7.5)));
        assert_eq!(read.int("progress"), Ok(Some(-1)));
        assert_eq!(read.0.get("customLists"), Some(&json!(["Comfy", "Faves"])));
        assert_eq!(
            read.0.get("startedAt"),
            Some(&json!({"year": 2024, "month": 4}))
        );
    }

    #[test]
    fn finds_the_field_by_whole_name_only() {
        let query = "{ Page { mediaList(userId: 1) { id } media(idMal_in: $ids) { id } } }";
        let read = args(query, "media", json!({"ids": [1, 2]}));
        assert_eq!(read.int_list("idMal_in"), Ok(Some(vec![1, 2])));
        assert_eq!(args(query, "Page", json!({})), Arguments::default());
        assert_eq!(args(query, "Viewer", json!({})), Arguments::default());
    }

    #[test]
    fn wrong_types_and_syntax_errors_are_reported() {
        let read = args("{ f(a: \"x\", b: [1, \"2\"], c: null) }", "f", json!({}));
        assert!(read.int("a").unwrap_err().contains("\"a\""));
        assert!(read.int_list("b").is_err());
        assert_eq!(read.int("c"), Ok(None));
        assert!(Arguments::of_field("{ f(a: ) }", "f", &json!({})).is_err());
        assert!(Arguments::of_field("{ f(a: \"open", "f", &json!({})).is_err());
        assert!(Arguments::of_field("{ f(a 1) }", "f", &json!({})).is_err());
    }
}
