//! The page reads the bundled prices from `data/prices.tsv`, a plain table written from
//! `data/prices.json` (the maintained file, with its source and notes). This test fails when the
//! two differ and says how to write the table anew:
//! `SPOOR_WRITE_PRICES=1 cargo test --test prices_table`, then the test again without it.

use serde::Deserialize;
use spoor::analysis::cost::{Price, PriceTable};
use std::collections::BTreeMap;

const JSON: &str = "data/prices.json";
const TABLE: &str = "data/prices.tsv";

#[derive(Deserialize)]
struct PriceFile {
    source: String,
    source_commit: String,
    retrieved: String,
    models: BTreeMap<String, Price>,
}

fn cell(v: Option<f64>) -> String {
    // `{:e}` prints the shortest decimal that reads back, and short (`5e-6`): the page parses
    // the same f64.
    v.map_or("-".to_string(), |v| format!("{v:e}"))
}

fn table_of(f: &PriceFile) -> String {
    let mut out = format!(
        "source\t{}\nsource_commit\t{}\nretrieved\t{}\n",
        f.source, f.source_commit, f.retrieved
    );
    out.push_str("model\tinput\toutput\tcache_read\tcache_write\treasoning\n");
    for (name, p) in &f.models {
        let cells = [
            Some(p.input),
            Some(p.output),
            p.cache_read,
            p.cache_write,
            p.reasoning,
        ];
        let cells: Vec<String> = cells.into_iter().map(cell).collect();
        out.push_str(&format!("{name}\t{}\n", cells.join("\t")));
    }
    out
}

#[test]
fn the_page_table_is_the_json_file() {
    let json: PriceFile =
        serde_json::from_str(&std::fs::read_to_string(JSON).expect("prices.json")).unwrap();
    let now = table_of(&json);
    if std::env::var_os("SPOOR_WRITE_PRICES").is_some() {
        // The library embeds the table at compile time: the checks below run on the next build.
        std::fs::write(TABLE, &now).expect("write prices.tsv");
        return;
    }
    let shipped = std::fs::read_to_string(TABLE).expect("prices.tsv is in the repository");
    assert!(
        shipped == now,
        "{TABLE} differs from {JSON}: write it anew with `SPOOR_WRITE_PRICES=1 cargo test --test prices_table`"
    );

    // And the table the page builds from it holds every model of the JSON, at its prices, and
    // the source it names.
    let t = PriceTable::bundled();
    assert_eq!(t.len(), json.models.len());
    assert_eq!(t.len(), 61);
    assert_eq!(t.source, json.source);
    assert_eq!(t.source_commit, "00035b69f416be24e2e323c13198d9b7d2d1bdf9");
    assert_eq!(t.retrieved, "2026-11-22");
    for (name, p) in &json.models {
        let (found, price) = t.lookup(name).unwrap_or_else(|| panic!("{name} is priced"));
        assert_eq!(found, name.to_ascii_lowercase());
        assert_eq!(price, *p, "{name}");
    }
}
