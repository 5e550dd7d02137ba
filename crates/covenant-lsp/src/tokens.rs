//! Semantic tokens: keywords and clause words, strings, numbers and comments from the text;
//! rule ids, definitions and fields from the analysis (a word is a field or a definition only
//! where the compiler resolved it so).

use covenant::resolve::index::UseBase;
use covenant::source::Span;
use covenant::syntax::ast::Item;
use covenant::syntax::keywords::{CLAUSE_WORDS, ITEM_WORDS, KEYWORDS};
use tower_lsp_server::ls_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokensLegend,
};

use crate::check::Checked;
use crate::symbols;
use crate::words::{lex, Lexeme};

const TYPES: [SemanticTokenType; 8] = [
    SemanticTokenType::KEYWORD,
    SemanticTokenType::STRING,
    SemanticTokenType::NUMBER,
    SemanticTokenType::COMMENT,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::FUNCTION,
    SemanticTokenType::OPERATOR,
];
const KEYWORD: u32 = 0;
const STRING: u32 = 1;
const NUMBER: u32 = 2;
const COMMENT: u32 = 3;
const PROPERTY: u32 = 4;
const VARIABLE: u32 = 5;
const FUNCTION: u32 = 6;
const OPERATOR: u32 = 7;
const DECLARATION: u32 = 1;

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: vec![SemanticTokenModifier::DECLARATION],
    }
}

/// Spans of the root that name rules and definitions (declarations flagged), and phrases.
struct Names {
    rules: Vec<(Span, bool)>,
    definitions: Vec<(Span, bool)>,
    fields: Vec<Span>,
}

fn names(checked: &Checked, file: usize) -> Names {
    let mut n = Names {
        rules: Vec::new(),
        definitions: Vec::new(),
        fields: Vec::new(),
    };
    for item in checked
        .file(file)
        .map_or(&[][..], |f| f.ast.items.as_slice())
    {
        if let Item::Rule(r) = item {
            if !r.id_derived {
                n.rules.push((r.id.span, true));
            }
            n.rules
                .extend(symbols::overrides(r).map(|o| (o.span, false)));
        }
    }
    for d in symbols::definitions(checked)
        .iter()
        .filter(|d| d.file == file)
    {
        n.definitions.push((d.name_span, true));
    }
    for p in checked
        .analysis
        .recorded
        .phrases
        .iter()
        .filter(|p| p.file == file)
    {
        if let (UseBase::Definition { .. }, Some(base)) = (&p.base, p.base_span) {
            n.definitions.push((base, false));
        }
        n.fields.push(p.span);
    }
    n
}

fn inside(spans: &[(Span, bool)], s: Span) -> Option<bool> {
    spans
        .iter()
        .find(|(x, _)| x.start <= s.start && s.end <= x.end)
        .map(|(_, d)| *d)
}

fn kind_of(names: &Names, word: &str, span: Span, kind: Lexeme) -> Option<(u32, u32)> {
    let flag = |d: bool| if d { DECLARATION } else { 0 };
    Some(match kind {
        Lexeme::Comment => (COMMENT, 0),
        Lexeme::String => (STRING, 0),
        Lexeme::Number => (NUMBER, 0),
        Lexeme::Punct => (OPERATOR, 0),
        Lexeme::Word | Lexeme::Quoted => {
            if let Some(d) = inside(&names.rules, span) {
                (FUNCTION, flag(d))
            } else if let Some(d) = inside(&names.definitions, span) {
                (VARIABLE, flag(d))
            } else if names
                .fields
                .iter()
                .any(|x| x.start <= span.start && span.end <= x.end)
            {
                (PROPERTY, 0)
            } else if kind == Lexeme::Word
                && (KEYWORDS.contains(&word)
                    || CLAUSE_WORDS.contains(&word)
                    || ITEM_WORDS.contains(&word))
            {
                (KEYWORD, 0)
            } else {
                return None;
            }
        }
    })
}

/// The semantic tokens of file `file`, encoded relative to each other.
pub fn tokens(checked: &Checked, file: usize) -> Vec<SemanticToken> {
    let text = checked.text(file);
    let names = names(checked, file);
    let mut out = Vec::new();
    let (mut line, mut col) = (0u32, 0u32);
    for (span, kind) in lex(text) {
        let word = text.get(span.start..span.end).unwrap_or("");
        let Some((token_type, modifiers)) = kind_of(&names, word, span, kind) else {
            continue;
        };
        let range = checked.range(file, span);
        if range.start.line != range.end.line {
            continue;
        }
        let delta_line = range.start.line.saturating_sub(line);
        let delta_start = match delta_line {
            0 => range.start.character.saturating_sub(col),
            _ => range.start.character,
        };
        out.push(SemanticToken {
            delta_line,
            delta_start,
            length: range.end.character.saturating_sub(range.start.character),
            token_type,
            token_modifiers_bitset: modifiers,
        });
        line = range.start.line;
        col = range.start.character;
    }
    out
}
