#!/usr/bin/env python3
"""Converts a Llama-architecture GGUF file into a Hugging Face model folder with transformers' own GGUF loader,
then repairs what that loader gets wrong about the tokenizer, using the GGUF's metadata as the truth.

    python gguf_to_hf.py --gguf DIR/model.gguf --out OUT

Run by scripts/fetch-smollm2.sh with the peer venv's interpreter (transformers 4.57.6, torch 2.5.1) and the
`gguf` package on PYTHONPATH. Tooling only: no product path imports this.

Weights: `AutoModelForCausalLM.from_pretrained(dir, gguf_file=...)` dequantises every tensor (Q4_1, Q8_0, F32)
to float32; `save_pretrained` writes them as safetensors. Nothing in the weights is repaired.

Tokenizer repairs (transformers 4.57.6, integrations/ggml.py, GGUFLlamaConverter.tokenizer):
  * eos: the converter reads the eos token from `bos_token_id` and then swaps bos and eos, so the folder names
    the GGUF's bos (<|im_start|> for SmolLM2) as its eos. Generation would stop on <|im_start|> and every SFT/DPO
    completion would end with it. Set to tokenizer.ggml.eos_token_id's token.
  * pad: left unset although the GGUF names one (tokenizer.ggml.padding_token_id).
  * add_bos_token: written true, and tokenizer.json's post-processor prepends bos, where the GGUF says
    tokenizer.ggml.add_bos_token false (the chat template writes every special token itself).
  * clean_up_tokenization_spaces: forced true for byte-level BPE vocabularies, so transformers' decode turns
    "5 ." into "5." and no longer returns the tokens' text; byte-level BPE decodes losslessly without it, and
    tokenizers (and our engine, which uses it) never clean up.
  * model_max_length: unbounded (1e30) where the GGUF states the context length.
  * chat template: saved only as chat_template.jinja; it is written into tokenizer_config.json instead, the one
    place every reader knows (transformers before 4.43, TRL and vLLM versions of that age read nothing else).
Each repair goes through transformers' tokenizer API (its setters rebuild the post-processor), and the written
folder is reloaded and checked against the GGUF before the script succeeds.
"""

import argparse
import json
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
os.environ.setdefault("TQDM_DISABLE", "1")  # the GGUF loader's per-tensor progress bar


class ConversionError(Exception):
    pass


def gguf_metadata(path):
    """The tokenizer facts of the GGUF header that the converted folder must agree with."""
    import gguf

    reader = gguf.GGUFReader(path)

    def field(key, required=True):
        f = reader.fields.get(key)
        if f is None:
            if required:
                raise ConversionError(f"{path}: GGUF metadata has no {key}")
            return None
        return f.contents()

    arch = field("general.architecture")
    if arch != "llama":
        raise ConversionError(f"{path}: general.architecture is {arch!r}; this converter handles llama only")
    tokens = field("tokenizer.ggml.tokens")

    def token(key):
        token_id = field(key, required=False)
        if token_id is None:
            return None
        if not 0 <= token_id < len(tokens):
            raise ConversionError(f"{path}: {key} {token_id} is outside the vocabulary of {len(tokens)} tokens")
        return token_id, tokens[token_id]

    meta = {
        "bos": token("tokenizer.ggml.bos_token_id"),
        "eos": token("tokenizer.ggml.eos_token_id"),
        "pad": token("tokenizer.ggml.padding_token_id"),
        "add_bos_token": bool(field("tokenizer.ggml.add_bos_token", required=False) or False),
        "chat_template": field("tokenizer.chat_template", required=False),
        "context_length": int(field("llama.context_length")),
        "vocab_size": len(tokens),
    }
    if meta["eos"] is None:
        raise ConversionError(f"{path}: GGUF metadata has no tokenizer.ggml.eos_token_id")
    return meta


def convert(gguf_path, out):
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    meta = gguf_metadata(gguf_path)
    folder, name = os.path.split(os.path.abspath(gguf_path))

    model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
    model.save_pretrained(out, safe_serialization=True)
    del model

    tok = AutoTokenizer.from_pretrained(folder, gguf_file=name)
    tok.eos_token = meta["eos"][1]
    if meta["pad"] is not None:
        tok.pad_token = meta["pad"][1]
    if meta["bos"] is not None:
        tok.bos_token = meta["bos"][1]
    tok.add_bos_token = meta["add_bos_token"]
    tok.clean_up_tokenization_spaces = False
    tok.model_max_length = meta["context_length"]
    if meta["chat_template"] is not None:
        tok.chat_template = meta["chat_template"]
    tok.save_pretrained(out, save_jinja_files=False)
    verify(out, meta)
    return meta


def verify(out, meta):
    """Reloads the written folder as transformers would and fails on any disagreement with the GGUF."""
    from transformers import AutoConfig, AutoTokenizer

    problems = []

    def expect(what, got, want):
        if got != want:
            problems.append(f"{what}: {got!r}, GGUF says {want!r}")

    tok = AutoTokenizer.from_pretrained(out, local_files_only=True)
    config = AutoConfig.from_pretrained(out, local_files_only=True)
    expect("tokenizer eos_token_id", tok.eos_token_id, meta["eos"][0])
    expect("config.json eos_token_id", config.eos_token_id, meta["eos"][0])
    if meta["pad"] is not None:
        expect("tokenizer pad_token_id", tok.pad_token_id, meta["pad"][0])
    if meta["bos"] is not None:
        expect("tokenizer bos_token_id", tok.bos_token_id, meta["bos"][0])
    expect("vocab size", config.vocab_size, meta["vocab_size"])
    expect("model_max_length", tok.model_max_length, meta["context_length"])
    first = tok("Hello", add_special_tokens=True).input_ids[0]
    expect("encode adds bos", meta["bos"] is not None and first == meta["bos"][0], meta["add_bos_token"])
    with open(os.path.join(out, "tokenizer_config.json"), encoding="utf-8") as f:
        written = json.load(f)
    expect("tokenizer_config.json chat_template", written.get("chat_template"), meta["chat_template"])
    expect("tokenizer_config.json add_bos_token", written.get("add_bos_token"), meta["add_bos_token"])
    if os.path.exists(os.path.join(out, "chat_template.jinja")):
        problems.append("chat_template.jinja written beside tokenizer_config.json (one template, one place)")
    if problems:
        raise ConversionError(f"{out} disagrees with the GGUF after repair:\n  " + "\n  ".join(problems))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--gguf", required=True, help="the .gguf file")
    p.add_argument("--out", required=True, help="folder to write (created; must not exist)")
    args = p.parse_args(argv)
    try:
        if not os.path.isfile(args.gguf):
            raise ConversionError(f"{args.gguf}: no such file")
        if os.path.exists(args.out):
            raise ConversionError(f"{args.out} already exists")
        meta = convert(args.gguf, args.out)
    except ConversionError as e:
        print(f"gguf_to_hf: error: {e}", file=sys.stderr)
        return 1
    print(f"gguf_to_hf: wrote {args.out} (eos {meta['eos'][1]} = {meta['eos'][0]}, add_bos_token "
          f"{str(meta['add_bos_token']).lower()})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
