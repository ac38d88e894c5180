#!/usr/bin/env python3
"""Hugging Face reference peer for TPO parity tests.

Run it with the pinned venv made by peers/make-venv.sh:

    .venv-peers/bin/python peers/hf_reference.py <subcommand> ...

Subcommands (all CPU, float32, deterministic):

  make-model  build a tiny random LlamaForCausalLM / Qwen2ForCausalLM and save it
              with save_pretrained(DIR, safe_serialization=True)
  score       per-token log-probs of each input sequence
  generate    greedy continuation of each prompt
  logits      full last-position logits of each input sequence
  versions    library versions (as one JSON object)
  dpo         TRL DPOTrainer steps on pre-tokenized pairs: per-step metrics, final weights
  diff-weights  max |a - b| between the tensors of two saved folders
  tokenize    tokenizers' ids and transformers' apply_chat_template for a tokenizer folder
  trl-data    TRL's DPO / SFT dataset preparation (ids, EOS appended) of text-form rows

JSONL contracts (one JSON object per line, output line i belongs to input line i):

  input    {"input_ids": [int, ...]}           (other keys are ignored)
  score    {"logprobs": [float, ...]}          n-1 values: log p(ids[t] | ids[:t]), t = 1..n-1
  generate {"output_ids": [int, ...]}          generated tokens only (prompt not repeated)
  logits   {"logits": [float, ...]}            vocab_size values at the last position

Machine-readable output goes only to --output (written to a temporary file and renamed
when complete). Diagnostics go to stderr. Any error exits non-zero (1 for runtime errors,
2 for bad command lines).
"""

import argparse
import json
import math
import os
import sys

# Never touch the network: everything is local.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")

# Special token ids written into every tiny model's config (inside the default vocab of 256).
BOS_ID = 1
EOS_ID = 2


class PeerError(Exception):
    pass


def _torch_setup(threads):
    import torch

    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)
    torch.set_grad_enabled(False)
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    return torch


# ---------------------------------------------------------------------------- io


def read_ids(path):
    rows = []
    with open(path, "r", encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise PeerError(f"{path}:{lineno}: invalid JSON: {e}")
            ids = obj.get("input_ids") if isinstance(obj, dict) else None
            if not isinstance(ids, list) or not all(isinstance(x, int) and not isinstance(x, bool) for x in ids):
                raise PeerError(f"{path}:{lineno}: expected {{\"input_ids\": [int, ...]}}")
            rows.append((lineno, ids))
    return rows


def write_jsonl(path, objs):
    tmp = f"{path}.tmp.{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        for obj in objs:
            f.write(json.dumps(obj, allow_nan=True, separators=(",", ":")))
            f.write("\n")
    os.replace(tmp, path)


def check_ids(path, lineno, ids, vocab, min_len):
    if len(ids) < min_len:
        raise PeerError(f"{path}:{lineno}: need at least {min_len} token(s), got {len(ids)}")
    for x in ids:
        if x < 0 or x >= vocab:
            raise PeerError(f"{path}:{lineno}: token id {x} outside vocab [0, {vocab})")


def load_model(torch, model_dir, attn_impl):
    from transformers import AutoModelForCausalLM

    if not os.path.isfile(os.path.join(model_dir, "config.json")):
        raise PeerError(f"{model_dir}: no config.json (not a saved model directory)")
    model = AutoModelForCausalLM.from_pretrained(
        model_dir,
        dtype=torch.float32,
        attn_implementation=attn_impl,
        local_files_only=True,
    )
    model.eval()
    return model


# ---------------------------------------------------------------------------- make-model


def cmd_make_model(args):
    torch = _torch_setup(args.threads)
    from transformers import LlamaConfig, LlamaForCausalLM, Qwen2Config, Qwen2ForCausalLM

    if args.hidden % args.heads != 0:
        raise PeerError("--hidden must be divisible by --heads")
    if args.heads % args.kv_heads != 0:
        raise PeerError("--heads must be divisible by --kv-heads")
    head_dim = args.hidden // args.heads
    if head_dim % 2 != 0:
        raise PeerError("head_dim (hidden/heads) must be even for RoPE")

    common = dict(
        vocab_size=args.vocab,
        hidden_size=args.hidden,
        intermediate_size=args.intermediate,
        num_hidden_layers=args.layers,
        num_attention_heads=args.heads,
        num_key_value_heads=args.kv_heads,
        max_position_embeddings=args.max_pos,
        rms_norm_eps=args.rms_eps,
        rope_theta=args.rope_theta,
        hidden_act="silu",
        tie_word_embeddings=args.tie,
        bos_token_id=BOS_ID,
        eos_token_id=EOS_ID,
        pad_token_id=None,
        use_cache=True,
    )
    if args.rope_llama3:
        common["rope_scaling"] = {
            "rope_type": "llama3",
            "factor": args.rope_factor,
            "low_freq_factor": 1.0,
            "high_freq_factor": 4.0,
            "original_max_position_embeddings": args.rope_orig_max,
        }
    if args.arch == "llama":
        config = LlamaConfig(attention_bias=False, mlp_bias=False, head_dim=head_dim, **common)
        cls = LlamaForCausalLM
    else:
        config = Qwen2Config(use_sliding_window=False, sliding_window=None, **common)
        cls = Qwen2ForCausalLM
    config.dtype = torch.float32

    torch.manual_seed(args.seed)
    model = cls(config).to(torch.float32)
    model.eval()

    # Re-draw EVERY parameter from our own seeded generator so that the weights depend only
    # on (seed, shapes, names), not on transformers' init order; and so that norms and biases
    # are far from HF's 1/0 defaults (which would hide load/mapping bugs).
    gen = torch.Generator().manual_seed(args.seed)
    with torch.no_grad():
        for name, p in sorted(model.named_parameters(), key=lambda kv: kv[0]):
            if name.endswith("norm.weight"):  # input_layernorm, post_attention_layernorm, model.norm
                vals = 1.0 + 0.25 * torch.randn(p.shape, generator=gen)
            elif name.endswith(".bias"):  # Qwen2 q/k/v biases
                vals = 0.5 * torch.randn(p.shape, generator=gen)
            elif name.endswith("embed_tokens.weight"):
                vals = args.embed_std * torch.randn(p.shape, generator=gen)
            elif p.dim() == 2:  # linear weights [out, in] incl. an untied lm_head
                vals = torch.randn(p.shape, generator=gen) / math.sqrt(p.shape[1])
            else:
                vals = 0.1 * torch.randn(p.shape, generator=gen)
            p.copy_(vals.to(p.dtype))

    if args.tie:
        assert model.lm_head.weight.data_ptr() == model.model.embed_tokens.weight.data_ptr()

    # Greedy generation defaults stored with the model (the generate subcommand overrides eos).
    model.generation_config.bos_token_id = BOS_ID
    model.generation_config.eos_token_id = EOS_ID
    model.generation_config.pad_token_id = None
    model.generation_config.do_sample = False

    os.makedirs(args.out, exist_ok=True)
    model.save_pretrained(args.out, safe_serialization=True)
    if not os.path.isfile(os.path.join(args.out, "model.safetensors")):
        raise PeerError("save_pretrained did not write model.safetensors")
    print(f"saved {args.arch} ({sum(p.numel() for p in model.parameters())} params) to {args.out}", file=sys.stderr)


# ---------------------------------------------------------------------------- score / logits


def cmd_score(args):
    torch = _torch_setup(args.threads)
    model = load_model(torch, args.model, args.attn_impl)
    vocab = model.config.vocab_size
    out = []
    for lineno, ids in read_ids(args.input):
        check_ids(args.input, lineno, ids, vocab, 1)
        if len(ids) == 1:
            out.append({"logprobs": []})
            continue
        x = torch.tensor([ids], dtype=torch.long)
        logits = model(input_ids=x, use_cache=False).logits.to(torch.float32)
        lp = logits.log_softmax(-1)[0]  # [n, V]
        tgt = x[0, 1:]
        vals = lp[:-1].gather(-1, tgt.unsqueeze(-1)).squeeze(-1)
        out.append({"logprobs": [float(v) for v in vals.tolist()]})
    write_jsonl(args.output, out)


def cmd_logits(args):
    torch = _torch_setup(args.threads)
    model = load_model(torch, args.model, args.attn_impl)
    vocab = model.config.vocab_size
    out = []
    for lineno, ids in read_ids(args.input):
        check_ids(args.input, lineno, ids, vocab, 1)
        x = torch.tensor([ids], dtype=torch.long)
        logits = model(input_ids=x, use_cache=False).logits.to(torch.float32)
        out.append({"logits": [float(v) for v in logits[0, -1].tolist()]})
    write_jsonl(args.output, out)


# ---------------------------------------------------------------------------- generate


def _trim_after_eos(tokens, eos_ids):
    """Keep tokens up to and including the first eos (what HF returns for an unpadded single sequence)."""
    if not eos_ids:
        return tokens
    for i, t in enumerate(tokens):
        if t in eos_ids:
            return tokens[: i + 1]
    return tokens


def cmd_generate(args):
    torch = _torch_setup(args.threads)
    model = load_model(torch, args.model, args.attn_impl)
    vocab = model.config.vocab_size
    rows = read_ids(args.input)
    for lineno, ids in rows:
        check_ids(args.input, lineno, ids, vocab, 1)
    if args.max_new_tokens < 1:
        raise PeerError("--max-new-tokens must be >= 1")

    if args.eos == "none":
        eos = None
    else:
        eos = model.config.eos_token_id
        if eos is None:
            raise PeerError("--eos config: the model config has no eos_token_id")
    eos_list = [] if eos is None else ([eos] if isinstance(eos, int) else list(eos))

    # Set the generation config on the model itself: generate() merges the model's
    # generation_config into whatever is passed, so passing eos_token_id=None as a kwarg
    # is not a reliable way to switch eos off across transformers versions.
    gc = model.generation_config
    gc.eos_token_id = eos
    gc.pad_token_id = args.pad_id
    gc.bos_token_id = model.config.bos_token_id
    gc.do_sample = False
    gc.num_beams = 1
    gc.temperature = None
    gc.top_p = None
    gc.top_k = None
    gc.max_length = None
    gc.min_length = 0
    gc.max_new_tokens = args.max_new_tokens
    gc.repetition_penalty = None

    out = []
    if not args.batch:
        for _, ids in rows:
            x = torch.tensor([ids], dtype=torch.long)
            mask = torch.ones_like(x)
            y = model.generate(input_ids=x, attention_mask=mask, generation_config=gc)
            new = y[0, len(ids):].tolist()
            out.append({"output_ids": _trim_after_eos(new, eos_list)})
    else:
        maxlen = max(len(ids) for _, ids in rows)
        xs, masks = [], []
        for _, ids in rows:
            pad = [args.pad_id] * (maxlen - len(ids))
            if args.padding_side == "left":
                xs.append(pad + ids)
                masks.append([0] * len(pad) + [1] * len(ids))
            else:
                xs.append(ids + pad)
                masks.append([1] * len(ids) + [0] * len(pad))
        x = torch.tensor(xs, dtype=torch.long)
        mask = torch.tensor(masks, dtype=torch.long)
        y = model.generate(input_ids=x, attention_mask=mask, generation_config=gc)
        for i in range(len(rows)):
            new = y[i, maxlen:].tolist()
            out.append({"output_ids": _trim_after_eos(new, eos_list)})
    write_jsonl(args.output, out)



# ---------------------------------------------------------------------------- dpo (TRL)


def read_pairs(path):
    rows = []
    with open(path, "r", encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            obj = json.loads(line)
            for key in ("prompt_ids", "chosen_ids", "rejected_ids"):
                ids = obj.get(key)
                if not isinstance(ids, list) or not ids or not all(isinstance(x, int) for x in ids):
                    raise PeerError(f"{path}:{lineno}: expected a non-empty int list in {key!r}")
            rows.append({k: obj[k] for k in ("prompt_ids", "chosen_ids", "rejected_ids")})
    if not rows:
        raise PeerError(f"{path}: no pairs")
    return rows


def _id_tokenizer(vocab):
    """A word-level tokenizer whose token i is the word "t<i>": TRL wants a processing class for its pad id only,
    because the pairs arrive already as ids."""
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.pre_tokenizers import WhitespaceSplit
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(WordLevel({f"t{i}": i for i in range(vocab)}, unk_token="t0"))
    tok.pre_tokenizer = WhitespaceSplit()
    return PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="t0", bos_token=f"t{BOS_ID}",
                                   eos_token=f"t{EOS_ID}", pad_token=f"t{EOS_ID}")


def cmd_dpo(args):
    """TRL's DPOTrainer on pre-tokenized pairs: every step takes the whole dataset as one batch (so the data
    order cannot change the batch mean), AdamW, constant learning rate, no warmup, float32 on CPU. Writes one
    line per optimiser step with TRL's logged metrics (the loss unrounded: the Trainer rounds its logged loss
    to 4 decimals, so the loss is taken from compute_loss) and saves the final weights to --save."""
    torch = _torch_setup(args.threads)
    torch.set_grad_enabled(True)
    from datasets import Dataset
    from trl import DPOConfig, DPOTrainer

    pairs = read_pairs(args.pairs)
    model = load_model(torch, args.model, args.attn_impl)
    model.train()
    vocab = model.config.vocab_size
    for i, p in enumerate(pairs):
        for key in ("prompt_ids", "chosen_ids", "rejected_ids"):
            check_ids(args.pairs, i + 1, p[key], vocab, 1)

    class PreTokenizedDPOTrainer(DPOTrainer):
        """TRL 1.16's _prepare_dataset only adds EOS to text and tokenizes it into prompt_ids / chosen_ids /
        rejected_ids; the pairs already are those columns, so they go to TRL's own collator unchanged."""

        losses = []
        logs = []

        def _prepare_dataset(self, dataset, processing_class, args, dataset_name):
            return dataset

        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            loss = super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
            if self.model.training:
                value = loss[0] if isinstance(loss, tuple) else loss
                PreTokenizedDPOTrainer.losses.append(float(value.detach()))
            return loss

        def log(self, logs, start_time=None):
            merged = dict(logs)
            merged.update({k: sum(v) / len(v) for k, v in self._metrics["train"].items() if v})
            PreTokenizedDPOTrainer.logs.append(merged)
            return super().log(logs, start_time)

    work = args.save + ".trainer"
    config = DPOConfig(
        output_dir=work,
        beta=args.beta,
        loss_type=[args.loss_type],
        learning_rate=args.learning_rate,
        per_device_train_batch_size=len(pairs),
        gradient_accumulation_steps=1,
        max_steps=args.steps,
        lr_scheduler_type="constant",
        warmup_steps=0,
        warmup_ratio=0.0,
        weight_decay=0.0,
        adam_beta1=args.adam_beta1,
        adam_beta2=args.adam_beta2,
        adam_epsilon=args.adam_epsilon,
        max_grad_norm=args.max_grad_norm,
        optim="adamw_torch",
        max_length=None,
        padding_free=False,
        precompute_ref_log_probs=args.precompute_ref and not args.ref,
        gradient_checkpointing=False,
        bf16=False,
        fp16=False,
        use_cpu=True,
        logging_steps=1,
        save_strategy="no",
        report_to=[],
        seed=args.seed,
        dataloader_drop_last=False,
        remove_unused_columns=False,
        disable_dropout=True,
    )
    ref_model = load_model(torch, args.ref, args.attn_impl) if args.ref else None
    trainer = PreTokenizedDPOTrainer(model=model, ref_model=ref_model, args=config,
                                     train_dataset=Dataset.from_list(pairs), processing_class=_id_tokenizer(vocab))
    trainer.train()
    # The first `log` of each step carries the step's metrics; the last one is the train summary.
    step_logs = [l for l in PreTokenizedDPOTrainer.logs if "train_runtime" not in l]
    if len(step_logs) != args.steps or len(PreTokenizedDPOTrainer.losses) != args.steps:
        raise PeerError(f"expected {args.steps} logged steps, got {len(step_logs)} logs and "
                        f"{len(PreTokenizedDPOTrainer.losses)} losses")
    out = []
    for step, (logs, loss) in enumerate(zip(step_logs, PreTokenizedDPOTrainer.losses), 1):
        row = {"step": step, "loss": loss, "logged_loss": logs.get("loss")}
        for key in ("rewards/chosen", "rewards/rejected", "rewards/accuracies", "rewards/margins", "logps/chosen",
                    "logps/rejected", "grad_norm", "learning_rate"):
            if key in logs:
                row[key] = float(logs[key])
        out.append(row)
    model.eval()
    trainer.model.save_pretrained(args.save, safe_serialization=True)
    import shutil

    shutil.rmtree(work, ignore_errors=True)
    write_jsonl(args.output, out)


# ---------------------------------------------------------------------------- trl-data


def cmd_trl_data(args):
    """TRL's own dataset preparation of text-form rows with the folder's tokenizer: DPOTrainer's for
    {"prompt","chosen","rejected"} -> {"prompt_ids","chosen_ids","rejected_ids"}, SFTTrainer's for
    {"prompt","completion"} -> {"prompt_ids","completion_ids"} (split where TRL's labels leave the prompt); output
    line i belongs to input line i. Both trainers append the tokenizer's eos_token to every completion, so the ids
    show which token a trained model learns to stop with. Prompts are chat-formatted strings (non-conversational
    rows, as in our trainer's text form)."""
    torch = _torch_setup(args.threads)
    from datasets import Dataset
    from transformers import AutoTokenizer
    from trl import DPOConfig, DPOTrainer, SFTConfig, SFTTrainer

    dpo_rows, sft_rows, order = [], [], []
    with open(args.input, "r", encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            obj = json.loads(line)
            kind, keys = ("dpo", ("prompt", "chosen", "rejected")) if "chosen" in obj else ("sft", ("prompt", "completion"))
            if not all(isinstance(obj.get(k), str) for k in keys):
                raise PeerError(f"{args.input}:{lineno}: expected string fields {keys}")
            rows = dpo_rows if kind == "dpo" else sft_rows
            order.append((kind, len(rows)))
            rows.append({k: obj[k] for k in keys})
    if not order:
        raise PeerError(f"{args.input}: no rows")
    tok = AutoTokenizer.from_pretrained(args.model, local_files_only=True)
    model = load_model(torch, args.model, args.attn_impl)
    work = args.output + ".trainer"
    common = dict(output_dir=work, use_cpu=True, report_to=[], save_strategy="no", max_length=None)
    prepared = {"dpo": [], "sft": []}
    if dpo_rows:
        trainer = DPOTrainer(model=model, args=DPOConfig(**common), train_dataset=Dataset.from_list(dpo_rows),
                             processing_class=tok)
        for r in trainer.train_dataset:
            prepared["dpo"].append({k: list(r[k]) for k in ("prompt_ids", "chosen_ids", "rejected_ids")})
    if sft_rows:
        trainer = SFTTrainer(model=model, args=SFTConfig(**common), train_dataset=Dataset.from_list(sft_rows),
                             processing_class=tok)
        for r in trainer.train_dataset:
            # SFTTrainer folds its completion_mask into labels: -100 marks the prompt tokens.
            ids, labels = list(r["input_ids"]), list(r["labels"])
            prepared["sft"].append({"prompt_ids": [t for t, l in zip(ids, labels) if l == -100],
                                    "completion_ids": [t for t, l in zip(ids, labels) if l != -100]})
    import shutil

    shutil.rmtree(work, ignore_errors=True)
    write_jsonl(args.output, [prepared[kind][i] for kind, i in order])


# ---------------------------------------------------------------------------- diff-weights


def cmd_diff_weights(args):
    """Max |a - b| over all tensors of two saved folders (same names; a tied head compared once), and how far b
    moved from --base if given. One JSON line."""
    torch = _torch_setup(args.threads)
    from safetensors.torch import load_file

    def load(folder):
        tensors = {}
        for name in sorted(os.listdir(folder)):
            if name.endswith(".safetensors"):
                tensors.update(load_file(os.path.join(folder, name)))
        if not tensors:
            raise PeerError(f"{folder}: no *.safetensors")
        return tensors

    a, b = load(args.a), load(args.b)
    if set(a) != set(b):
        raise PeerError(f"tensor names differ: only in a {sorted(set(a) - set(b))}, only in b {sorted(set(b) - set(a))}")
    base = load(args.base) if args.base else None
    per = {}
    worst, moved, worst_rel = 0.0, 0.0, 0.0
    for name in sorted(a):
        ta, tb = a[name].to(torch.float32), b[name].to(torch.float32)
        if ta.shape != tb.shape:
            raise PeerError(f"{name}: shape {list(ta.shape)} vs {list(tb.shape)}")
        d = float((ta - tb).abs().max())
        entry = {"max_abs_diff": d}
        if base is not None:
            m = float((tb - base[name].to(torch.float32)).abs().max())
            entry["max_moved"] = m
            moved = max(moved, m)
            if m > 0:
                worst_rel = max(worst_rel, d / m)
        per[name] = entry
        worst = max(worst, d)
    write_jsonl(args.output, [{"max_abs_diff": worst, "max_moved": moved, "max_diff_over_moved": worst_rel,
                               "tensors": per}])


# ---------------------------------------------------------------------------- tokenize


def cmd_tokenize(args):
    """Per input line {"text": s} -> {"ids": tokenizers' Tokenizer.from_file(tokenizer.json).encode(s,
    add_special_tokens=False).ids, "auto_ids": the same through AutoTokenizer.from_pretrained(DIR), "special_ids":
    AutoTokenizer's with add_special_tokens=True (what the folder's post-processor adds, e.g. BOS), "decoded":
    AutoTokenizer.decode of the ids (its clean_up_tokenization_spaces setting applied)}; and
    {"messages": [...], "add_generation_prompt": b} -> {"rendered": AutoTokenizer.apply_chat_template(messages,
    tokenize=False, add_generation_prompt=b), "ids": the rendered text's ids (no special tokens added)}. A render
    that raises gives {"error": "..."} for that line."""
    _torch_setup(args.threads)
    from tokenizers import Tokenizer
    from transformers import AutoTokenizer

    raw = Tokenizer.from_file(os.path.join(args.tokenizer, "tokenizer.json"))
    auto = AutoTokenizer.from_pretrained(args.tokenizer, local_files_only=True)
    out = []
    with open(args.input, "r", encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            obj = json.loads(line)
            if "text" in obj:
                text = obj["text"]
                out.append({"ids": raw.encode(text, add_special_tokens=False).ids,
                            "auto_ids": auto.encode(text, add_special_tokens=False),
                            "special_ids": auto.encode(text, add_special_tokens=True),
                            "decoded": auto.decode(auto.encode(text, add_special_tokens=False))})
            elif "messages" in obj:
                try:
                    rendered = auto.apply_chat_template(obj["messages"], tokenize=False,
                                                        add_generation_prompt=bool(obj.get("add_generation_prompt")))
                    out.append({"rendered": rendered, "ids": raw.encode(rendered, add_special_tokens=False).ids})
                except Exception as e:  # noqa: BLE001 - reported per line
                    out.append({"error": f"{type(e).__name__}: {e}"})
            else:
                raise PeerError(f"{args.input}:{lineno}: expected \"text\" or \"messages\"")
    write_jsonl(args.output, out)


# ---------------------------------------------------------------------------- versions


def cmd_versions(args):
    import importlib.metadata as md

    torch = _torch_setup(args.threads)
    info = {"python": sys.version.split()[0]}
    for pkg in ["torch", "transformers", "trl", "peft", "safetensors", "tokenizers", "accelerate", "numpy"]:
        try:
            info[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            info[pkg] = None
    info["torch_cuda_build"] = torch.version.cuda
    info["cuda_available"] = bool(torch.cuda.is_available())
    write_jsonl(args.output, [info])


# ---------------------------------------------------------------------------- cli


def build_parser():
    p = argparse.ArgumentParser(prog="hf_reference.py", description="Hugging Face reference peer (CPU, float32).")
    sub = p.add_subparsers(dest="cmd", required=True)

    def common(sp, model=True):
        if model:
            sp.add_argument("--model", required=True, help="directory written by make-model / save_pretrained")
            sp.add_argument("--input", required=True, help='JSONL, one {"input_ids":[...]} per line')
            sp.add_argument("--attn-impl", default="eager", choices=["eager", "sdpa"],
                            help="attention implementation (default eager: plain softmax(QK^T/sqrt(d))V)")
        sp.add_argument("--output", required=True, help="JSONL output file")
        sp.add_argument("--threads", type=int, default=1, help="torch intra-op threads (default 1, for bitwise repeatability)")

    m = sub.add_parser("make-model", help="build and save a tiny random llama/qwen2 model")
    m.add_argument("--arch", required=True, choices=["llama", "qwen2"])
    m.add_argument("--out", required=True)
    m.add_argument("--seed", type=int, required=True)
    m.add_argument("--tie", action="store_true", help="tie lm_head to embed_tokens")
    m.add_argument("--layers", type=int, default=2)
    m.add_argument("--hidden", type=int, default=64)
    m.add_argument("--heads", type=int, default=4)
    m.add_argument("--kv-heads", type=int, default=2)
    m.add_argument("--intermediate", type=int, default=128)
    m.add_argument("--vocab", type=int, default=256)
    m.add_argument("--max-pos", type=int, default=512)
    m.add_argument("--rms-eps", type=float, default=1e-5)
    m.add_argument("--rope-theta", type=float, default=10000.0)
    m.add_argument("--rope-llama3", action="store_true",
                   help="rope_scaling llama3 (factor 8, low 1, high 4, original_max_position_embeddings --rope-orig-max)")
    m.add_argument("--rope-factor", type=float, default=8.0)
    m.add_argument("--rope-orig-max", type=int, default=64,
                   help="original_max_position_embeddings for --rope-llama3 (default 64: with head_dim 16 and theta 1e4 "
                        "two frequencies are smoothed and five are divided by the factor)")
    m.add_argument("--embed-std", type=float, default=0.3, help="std of the embedding init")
    m.add_argument("--threads", type=int, default=1)
    m.set_defaults(func=cmd_make_model)

    s = sub.add_parser("score", help="log p(token t | tokens < t), t=1..n-1, one sequence at a time")
    common(s)
    s.set_defaults(func=cmd_score)

    g = sub.add_parser("generate", help="greedy generation (model.generate, do_sample=False)")
    common(g)
    g.add_argument("--max-new-tokens", type=int, required=True)
    g.add_argument("--eos", choices=["none", "config"], default="none",
                   help="none (default): eos_token_id=None, always exactly max-new-tokens tokens; "
                        "config: stop at the config's eos_token_id (the eos token is included in output_ids)")
    g.add_argument("--batch", action="store_true", help="run all prompts as one padded batch with attention_mask")
    g.add_argument("--padding-side", choices=["left", "right"], default="left",
                   help="padding side for --batch (left is what HF does for decoder-only generation)")
    g.add_argument("--pad-id", type=int, default=0, help="token id used for padding in --batch (default 0)")
    g.set_defaults(func=cmd_generate)

    lg = sub.add_parser("logits", help="full last-position logits per input line")
    common(lg)
    lg.set_defaults(func=cmd_logits)

    d = sub.add_parser("dpo", help="TRL DPOTrainer steps on pre-tokenized pairs; per-step metrics + final weights")
    d.add_argument("--model", required=True)
    d.add_argument("--pairs", required=True, help='JSONL {"prompt_ids":[..],"chosen_ids":[..],"rejected_ids":[..]}')
    d.add_argument("--save", required=True, help="folder for the trained weights (save_pretrained)")
    d.add_argument("--output", required=True, help="JSONL, one line of metrics per optimiser step")
    d.add_argument("--loss-type", default="sigmoid", choices=["sigmoid", "ipo", "hinge"])
    d.add_argument("--beta", type=float, default=0.1)
    d.add_argument("--learning-rate", type=float, default=1e-3)
    d.add_argument("--steps", type=int, default=1)
    d.add_argument("--adam-beta1", type=float, default=0.9)
    d.add_argument("--adam-beta2", type=float, default=0.999)
    d.add_argument("--adam-epsilon", type=float, default=1e-8)
    d.add_argument("--max-grad-norm", type=float, default=1.0)
    d.add_argument("--seed", type=int, default=42)
    d.add_argument("--ref", help="reference model folder (default: a frozen copy of --model)")
    d.add_argument("--precompute-ref", action="store_true",
                   help="precompute_ref_log_probs=True (else TRL loads a frozen reference copy from --model)")
    d.add_argument("--attn-impl", default="eager", choices=["eager", "sdpa"])
    d.add_argument("--threads", type=int, default=1)
    d.set_defaults(func=cmd_dpo)

    dw = sub.add_parser("diff-weights", help="max |a-b| over the tensors of two saved folders")
    dw.add_argument("--a", required=True)
    dw.add_argument("--b", required=True)
    dw.add_argument("--base", help="starting folder: also report how far b moved from it")
    dw.add_argument("--output", required=True)
    dw.add_argument("--threads", type=int, default=1)
    dw.set_defaults(func=cmd_diff_weights)

    t = sub.add_parser("tokenize", help="tokenizers / transformers ids and chat rendering for a tokenizer folder")
    t.add_argument("--tokenizer", required=True, help="folder with tokenizer.json and tokenizer_config.json")
    t.add_argument("--input", required=True, help='JSONL {"text":..} or {"messages":[..],"add_generation_prompt":b}')
    t.add_argument("--output", required=True)
    t.add_argument("--threads", type=int, default=1)
    t.set_defaults(func=cmd_tokenize)

    td = sub.add_parser("trl-data", help="TRL DPOTrainer / SFTTrainer dataset preparation of text-form rows")
    td.add_argument("--model", required=True, help="model folder (its tokenizer prepares the rows)")
    td.add_argument("--input", required=True,
                    help='JSONL, each line {"prompt","chosen","rejected"} (DPO) or {"prompt","completion"} (SFT)')
    td.add_argument("--output", required=True)
    td.add_argument("--attn-impl", default="eager", choices=["eager", "sdpa"])
    td.add_argument("--threads", type=int, default=1)
    td.set_defaults(func=cmd_trl_data)

    v = sub.add_parser("versions", help="write library versions as one JSON line")
    common(v, model=False)
    v.set_defaults(func=cmd_versions)
    return p


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except PeerError as e:
        print(f"hf_reference: error: {e}", file=sys.stderr)
        return 1
    except Exception as e:  # noqa: BLE001 - any failure must be a non-zero exit
        import traceback

        traceback.print_exc()
        print(f"hf_reference: error: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
