//! Bundled prices for the models added by hand to data/prices.json (o1/o3/o3-mini/o4-mini and
//! claude-3-5-sonnet), read from LiteLLM's model_prices_and_context_window.json at commit
//! 00035b69f416be24e2e323c13198d9b7d2d1bdf9 (see data/prices.md). Each cost below is worked out by
//! hand from LiteLLM's per-token prices, following `PriceTable::cost`: cached tokens are inside
//! `input` when input >= cache_read + cache_write (OpenAI), apart otherwise (Anthropic); reasoning
//! tokens are inside `output` and cost the output price when there is no reasoning price.

use spoor::analysis::cost::TokenCounts;
use spoor::analysis::{Price, PriceTable};

fn lookup(model: &str) -> (String, Price) {
    let t = PriceTable::bundled();
    let (k, p) = t
        .lookup(model)
        .unwrap_or_else(|| panic!("{model}: no bundled price"));
    (k.to_string(), p)
}

fn approx(got: f64, want: f64) {
    assert!((got - want).abs() < 1e-12, "cost {got} != {want}");
}

fn price(input: f64, output: f64, cache_read: Option<f64>, cache_write: Option<f64>) -> Price {
    Price {
        input,
        output,
        cache_read,
        cache_write,
        reasoning: None,
    }
}

#[test]
fn o1_dated_name_from_the_fixtures_with_cache_and_reasoning() {
    // LiteLLM "o1-2024-12-17": input_cost_per_token 1.5e-05, output_cost_per_token 6e-05,
    // cache_read_input_token_cost 7.5e-06, no output_cost_per_reasoning_token.
    let (k, p) = lookup("o1-2024-12-17");
    assert_eq!(k, "o1-2024-12-17");
    assert_eq!(p, price(1.5e-05, 6e-05, Some(7.5e-06), None));
    let t = TokenCounts {
        input: 10_000,
        cache_read: 4_000,
        output: 2_000,
        reasoning: 1_500,
        has_output: true,
        ..Default::default()
    };
    // 6,000 plain input × 1.5e-05 = 0.09
    // 4,000 cache read × 7.5e-06 = 0.03
    //   500 plain output × 6e-05 = 0.03
    // 1,500 reasoning × 6e-05 (output price) = 0.09
    // total 0.24
    approx(PriceTable::cost(&p, &t), 0.24);
    // The undated name the fixtures also use has its own entry at the same price.
    assert_eq!(lookup("o1"), ("o1".to_string(), p));
}

#[test]
fn o3_mini_with_provider_prefix_and_date() {
    // LiteLLM "o3-mini-2025-01-31": input 1.1e-06, output 4.4e-06, cache read 5.5e-07.
    let (k, p) = lookup("openai/o3-mini-2025-01-31");
    assert_eq!(k, "o3-mini-2025-01-31");
    assert_eq!(p, price(1.1e-06, 4.4e-06, Some(5.5e-07), None));
    let t = TokenCounts {
        input: 1_000_000,
        output: 100_000,
        has_output: true,
        ..Default::default()
    };
    // 1,000,000 × 1.1e-06 = 1.10; 100,000 × 4.4e-06 = 0.44; total 1.54
    approx(PriceTable::cost(&p, &t), 1.54);
    assert_eq!(lookup("o3-mini").0, "o3-mini");
}

#[test]
fn o3_with_provider_prefix_and_cached_input() {
    // LiteLLM "o3": input 2e-06, output 8e-06, cache read 5e-07 (flex/priority tiers not kept).
    let (k, p) = lookup("openai/o3");
    assert_eq!(k, "o3");
    assert_eq!(p, price(2e-06, 8e-06, Some(5e-07), None));
    let t = TokenCounts {
        input: 20_000,
        cache_read: 10_000,
        output: 5_000,
        has_output: true,
        ..Default::default()
    };
    // 10,000 plain input × 2e-06 = 0.02; 10,000 cache read × 5e-07 = 0.005;
    // 5,000 output × 8e-06 = 0.04; total 0.065
    approx(PriceTable::cost(&p, &t), 0.065);
    assert_eq!(lookup("o3-2025-04-16").1, p);
}

#[test]
fn o4_mini_dated_with_cached_input() {
    // LiteLLM "o4-mini-2025-04-16": input 1.1e-06, output 4.4e-06, cache read 2.75e-07.
    let (k, p) = lookup("azure/o4-mini-2025-04-16");
    assert_eq!(k, "o4-mini-2025-04-16");
    assert_eq!(p, price(1.1e-06, 4.4e-06, Some(2.75e-07), None));
    let t = TokenCounts {
        input: 100_000,
        cache_read: 40_000,
        output: 10_000,
        has_output: true,
        ..Default::default()
    };
    // 60,000 plain input × 1.1e-06 = 0.066; 40,000 cache read × 2.75e-07 = 0.011;
    // 10,000 output × 4.4e-06 = 0.044; total 0.121
    approx(PriceTable::cost(&p, &t), 0.121);
    assert_eq!(lookup("o4-mini").1, p);
}

#[test]
fn claude_3_5_sonnet_prefixed_dated_and_bedrock_names() {
    // LiteLLM has no bare claude-3-5-sonnet key in this copy; its Bedrock ids
    // "anthropic.claude-3-5-sonnet-20240620-v1:0" and "anthropic.claude-3-5-sonnet-20241022-v2:0"
    // both give input 3e-06, output 1.5e-05, cache_read_input_token_cost 3e-07,
    // cache_creation_input_token_cost 3.75e-06.
    let want = price(3e-06, 1.5e-05, Some(3e-07), Some(3.75e-06));
    let (k, p) = lookup("anthropic/claude-3-5-sonnet-20240620");
    assert_eq!(k, "claude-3-5-sonnet-20240620");
    assert_eq!(p, want);
    for name in [
        "claude-3-5-sonnet-20241022",
        "claude-3-5-sonnet-latest",
        "claude-3-5-sonnet",
        "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
    ] {
        assert_eq!(
            lookup(name),
            ("claude-3-5-sonnet-20241022".to_string(), want),
            "{name}"
        );
    }
    // Anthropic reports cache tokens apart from input (here input < cache read + write).
    let t = TokenCounts {
        input: 2_000,
        cache_read: 50_000,
        cache_write: 10_000,
        output: 1_000,
        has_output: true,
        ..Default::default()
    };
    // 2,000 input × 3e-06 = 0.006; 50,000 cache read × 3e-07 = 0.015;
    // 10,000 cache write × 3.75e-06 = 0.0375; 1,000 output × 1.5e-05 = 0.015; total 0.0735
    approx(PriceTable::cost(&p, &t), 0.0735);
}

#[test]
fn every_model_named_in_the_shared_fixtures_has_a_price() {
    // gen_ai.request.model / gen_ai.response.model / llm.model_name / "model" values found in
    // ../shared/fixtures (grep), including the Vertex resource name.
    for name in [
        "o1",
        "o1-2024-12-17",
        "gpt-3.5-turbo",
        "gpt-3.5-turbo-0125",
        "gpt-4o",
        "gpt-4o-2024-08-06",
        "gpt-4o-mini",
        "gpt-4o-mini-2024-07-18",
        "gpt-4.1",
        "gpt-4.1-2025-04-14",
        "gpt-4.1-mini",
        "gpt-5",
        "gpt-5-2025-08-07",
        "gpt-5-mini",
        "gpt-5-mini-2025-08-07",
        "claude-sonnet-4-5-20250929",
        "gemini-2.0-flash",
        "gemini-2.5-flash",
        "projects/vertex-ai-integration-467711/locations/europe-central2/publishers/google/models/gemini-2.5-flash",
    ] {
        let (k, _) = lookup(name);
        assert!(name.ends_with(&k), "{name} resolved to {k}, not its own entry");
    }
}

#[test]
fn a_smaller_variant_never_takes_the_bigger_models_price() {
    let t = PriceTable::bundled();
    // o1-mini is not in the bundled table; o1 is ($15/$60 per M). Falling back to o1 would be
    // 13x too dear, so it reads "no price".
    assert!(t.lookup("o1").is_some());
    assert_eq!(t.lookup("o1-mini").map(|(k, _)| k.to_string()), None);
    assert_eq!(
        t.lookup("openai/o1-mini-2024-09-12")
            .map(|(k, _)| k.to_string()),
        None
    );
    // A deployment or fine-tune suffix still finds its base model.
    assert_eq!(
        t.lookup("gpt-4o-acme-deploy").map(|(k, _)| k.to_string()),
        Some("gpt-4o".to_string())
    );
}
