//! The words of lookup-table evidence (SPEC §8): the row that gave a value
//! (``table `rvc floor`: row `from 2023-07-01` (usmca.policy:4:3) gives 75%``), and why no row
//! did (``no row of table `rvc floor` matches `date` = 2019-01-01``). The JSON members of the
//! row are those of spec-v2-notes F: `kind` `table-row`, `table`, `row`, `at`, `value`.

use crate::eval::outcome::{NoRow, PolicyPlace, TableRowShown};

use super::json_out::JsonOut;
use super::words::shown;

/// `usmca.policy:4:3`.
pub fn place(p: &PolicyPlace) -> String {
    format!("{}:{}:{}", p.file, p.line, p.column)
}

/// ``table `rvc floor`: row `from 2023-07-01` (usmca.policy:4:3) gives 75%``.
pub fn row(t: &TableRowShown) -> String {
    let mut text = format!("table `{}`: row `{}`", t.table, t.row);
    if let Some(at) = &t.at {
        text.push_str(&format!(" ({})", place(at)));
    }
    text.push_str(" gives ");
    text.push_str(&shown(&t.value));
    text
}

/// ``no row of table `rvc floor` matches `date` = 2019-01-01``.
pub fn no_row(n: &NoRow) -> String {
    let keys: Vec<String> = n
        .keys
        .iter()
        .map(|(k, v)| format!("`{k}` = {}", shown(v)))
        .collect();
    format!(
        "no row of table `{}` matches {} (and the table has no `otherwise`)",
        n.table,
        keys.join(", ")
    )
}

/// The members of a `table-row` evidence object, beside its v1 fields.
pub fn write_row(j: &mut JsonOut<'_>, t: &TableRowShown) {
    j.field_str("kind", "table-row");
    j.field_str("table", &t.table);
    j.field_str("row", &t.row);
    j.field_opt_str("at", t.at.as_ref().map(place).as_deref());
    j.field_str("value", &shown(&t.value));
}
