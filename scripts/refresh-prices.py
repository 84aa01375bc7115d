#!/usr/bin/env python3
"""Regenerate data/prices.json from a downloaded copy of LiteLLM's price table.

LiteLLM (MIT, https://github.com/BerriAI/litellm) keeps model_prices_and_context_window.json
up to date. Spoor bundles only the models agents commonly use and only the fields its cost
formula reads, so the page stays small:

    input       = input_cost_per_token
    output      = output_cost_per_token
    cache_read  = cache_read_input_token_cost
    cache_write = cache_creation_input_token_cost
    reasoning   = output_cost_per_reasoning_token

Usage:
    python3 scripts/refresh-prices.py model_prices_and_context_window.json \
        --commit <litellm commit sha> [--retrieved YYYY-MM] [--out data/prices.json]

Keys are stored without a provider prefix; Gemini models are taken from LiteLLM's `gemini/`
(Google AI Studio) entries, falling back to the bare (Vertex AI) key. Models missing from the
download are reported and left out (Spoor then shows their cost as unknown, never $0).
"""
import argparse
import json
import re
import sys

# The models Spoor bundles: common agent models plus every model named in the shared fixtures.
WANTED = [
    # OpenAI
    "gpt-3.5-turbo", "gpt-3.5-turbo-0125", "gpt-4", "gpt-4-turbo",
    "gpt-4o", "gpt-4o-2024-05-13", "gpt-4o-2024-08-06", "gpt-4o-2024-11-20",
    "gpt-4o-mini", "gpt-4o-mini-2024-07-18", "chatgpt-4o-latest",
    "gpt-4.1", "gpt-4.1-2025-04-14", "gpt-4.1-mini", "gpt-4.1-mini-2025-04-14",
    "gpt-4.1-nano", "gpt-4.1-nano-2025-04-14",
    "o1", "o1-2024-12-17", "o1-mini", "o1-preview", "o3", "o3-2025-04-16", "o3-mini",
    "o3-mini-2025-01-31", "o4-mini", "o4-mini-2025-04-16", "gpt-4.5-preview",
    "gpt-5", "gpt-5-2025-08-07", "gpt-5-chat", "gpt-5-pro", "gpt-5-mini",
    "gpt-5-mini-2025-08-07", "gpt-5-nano", "gpt-5-nano-2025-08-07", "gpt-5.1", "gpt-5.2",
    # Anthropic
    "claude-3-haiku-20240307", "claude-3-opus-20240229", "claude-3-5-haiku-20241022",
    "claude-3-5-sonnet-20240620", "claude-3-5-sonnet-20241022", "claude-3-7-sonnet-20250219",
    "claude-4-opus-20250514", "claude-4-sonnet-20250514", "claude-sonnet-4-20250514",
    "claude-opus-4-20250514", "claude-opus-4-1", "claude-opus-4-1-20250805",
    "claude-sonnet-4-5", "claude-sonnet-4-5-20250929", "claude-haiku-4-5",
    "claude-haiku-4-5-20251001", "claude-opus-4-5", "claude-opus-4-5-20251101",
    "claude-sonnet-4-6", "claude-opus-4-6",
    # Google
    "gemini-1.5-flash", "gemini-1.5-pro", "gemini-2.0-flash", "gemini-2.0-flash-001",
    "gemini-2.0-flash-lite", "gemini-2.5-flash", "gemini-2.5-pro",
    "gemini-2.5-flash-lite", "gemini-2.5-flash-lite-preview-06-17",
]

FIELDS = {
    "input": "input_cost_per_token",
    "output": "output_cost_per_token",
    "cache_read": "cache_read_input_token_cost",
    "cache_write": "cache_creation_input_token_cost",
    "reasoning": "output_cost_per_reasoning_token",
}


def pick(table, name):
    # Gemini: the `gemini/` (Google AI Studio) entry first, as data/prices.json's notes say
    # (LiteLLM's bare Gemini keys are Vertex AI prices, which can differ: gemini-2.0-flash-001).
    # Others: bare key first, then provider-prefixed ones; Anthropic models LiteLLM lists only
    # under Bedrock ids (same list price; `-v1:0`, or `-v2:0` for claude-3-5-sonnet-20241022)
    # come last, the un-regioned `anthropic.` id before regional ones.
    bedrock = re.compile(r"(^|[./])anthropic\." + re.escape(name) + r"-v\d+:0$")
    keys = [name, "gemini/" + name]
    if name.startswith("gemini-"):
        keys.reverse()
    keys += ["openai/" + name, "anthropic/" + name]
    regional = [k for k in table if bedrock.search(k)]
    keys += sorted(regional, key=lambda k: (not k.startswith("anthropic."), k))
    for key in keys:
        entry = table.get(key)
        if isinstance(entry, dict) and entry.get("mode", "chat") in ("chat", "responses"):
            if isinstance(entry.get("input_cost_per_token"), (int, float)):
                return entry
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("litellm_json")
    ap.add_argument("--commit", default="unknown")
    ap.add_argument("--retrieved", default="")
    ap.add_argument("--out", default="data/prices.json")
    args = ap.parse_args()
    with open(args.litellm_json, encoding="utf-8") as f:
        table = json.load(f)
    models, missing = {}, []
    for name in WANTED:
        entry = pick(table, name)
        if entry is None:
            missing.append(name)
            continue
        price = {}
        for ours, theirs in FIELDS.items():
            v = entry.get(theirs)
            if isinstance(v, (int, float)) and (ours in ("input", "output") or v > 0):
                price[ours] = v
        price.setdefault("output", 0.0)
        models[name] = price
    out = {
        "source": "BerriAI/litellm model_prices_and_context_window.json",
        "source_commit": args.commit,
        "license": "MIT (LiteLLM, Copyright (c) 2023 Berri AI)",
        "retrieved": args.retrieved,
        "unit": "USD per token",
        "fields": ", ".join(f"{k} = {v}" for k, v in FIELDS.items()),
        "notes": "Keys are stored without a provider prefix; Gemini prices are LiteLLM's gemini/ "
                 "(Google AI Studio) entries. Tiered prices above 128k/200k tokens are not kept.",
        "models": models,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("{\n")
        head = [k for k in out if k != "models"]
        for k in head:
            f.write(f"  {json.dumps(k)}: {json.dumps(out[k])},\n")
        f.write('  "models": {\n')
        rows = [f"    {json.dumps(k)}: {json.dumps(v)}" for k, v in models.items()]
        f.write(",\n".join(rows))
        f.write("\n  }\n}\n")
    print(f"wrote {len(models)} models to {args.out}")
    if missing:
        print("not in this LiteLLM copy (left out): " + ", ".join(missing), file=sys.stderr)


if __name__ == "__main__":
    main()
