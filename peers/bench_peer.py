#!/usr/bin/env python3
"""Peer side of the side-by-side benchmark (scripts/bench-side-by-side.sh): transformers / TRL on the same saved
model folder and the same input files as `tpo bench side-by-side`. One measurement per process (so that its peak
RSS is its own); prints one JSON line and appends it to --json.

  inputs    write the shared inputs (score ids, dpo pairs, generation prompts) for a vocab size
  matmul    float32 torch.matmul GFLOP/s (n^3, --threads threads)
  score     forward + log_softmax + gather of the next-token log-probs, batch x seq (no grad)
  dpo       TRL DPOTrainer steps (reference log-probs precomputed, as our pipeline stores them), after warm-up
  generate  model.generate: greedy for K=1, else temperature 0.8 / top-p 0.95 with K return sequences; EOS ignored
"""

import argparse
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hf_reference as ref  # noqa: E402


def vmhwm_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1


def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def setup(threads):
    import torch

    torch.set_num_threads(threads)
    torch.set_grad_enabled(False)
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    return torch


def emit(args, obj):
    obj.setdefault("side", "peer")
    obj["label"] = args.label
    obj["vmhwm_kib"] = vmhwm_kib()
    line = json.dumps(obj)
    print(line)
    if args.json:
        with open(args.json, "a") as f:
            f.write(line + "\n")


def timed(fn, warmup, reps):
    for _ in range(warmup):
        fn()
    secs = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        secs.append(time.perf_counter() - t)
    return secs


# Chat work for a real instruct model (--tokenizer): instructions and answers composed from fixed parts by a seeded
# generator, rendered through the model's own chat template, so both sides read the same token ids.
TASKS = ["Explain", "Describe in simple words", "Summarize what is known about", "Give three practical tips about",
         "Write a short paragraph on", "What are the main ideas behind", "Compare two views on",
         "List the common mistakes people make with"]
TOPICS = ["photosynthesis", "the water cycle", "saving money each month", "learning a new language",
          "how vaccines work", "the history of the printing press", "writing clean code", "sleep and memory",
          "renewable energy", "how a bill becomes law", "baking bread at home", "the causes of inflation",
          "plate tectonics", "time management", "how the internet routes data", "keeping houseplants alive"]
SENTENCES = [
    "The key point is that small, steady steps add up over time.",
    "Most people find it easier to start with one simple habit and build from there.",
    "Scientists have studied this for decades, and the basic picture is well understood.",
    "There are a few exceptions, but they are rare in everyday life.",
    "A common mistake is to try to change everything at once.",
    "It helps to write things down, because memory is less reliable than we think.",
    "In practice, the details depend on where you live and what you already know.",
    "Energy from the sun drives the process, and water and carbon dioxide are the raw materials.",
    "The result is usually better when you check your work a second time.",
    "Historians still debate some of the dates, but the overall story is clear.",
    "If you are unsure, ask someone with experience before you commit.",
    "Think of it as a cycle: each stage feeds the next one.",
    "Numbers alone do not tell the whole story; context matters as much.",
    "You can test this yourself at home with a few simple materials.",
    "Over the long run, consistency beats intensity.",
    "Experts recommend reviewing the plan every few weeks and adjusting it.",
]


def _answer(rnd, sentences):
    return " ".join(rnd.choice(SENTENCES) for _ in range(sentences))


def _chat_inputs(args, rnd):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(args.tokenizer, local_files_only=True)
    eos = tok.convert_tokens_to_ids(tok.eos_token)

    def instruction(i):
        return f"{TASKS[i % len(TASKS)]} {TOPICS[(i * 5 + i // len(TOPICS)) % len(TOPICS)]}."

    def render(messages, generation_prompt):
        return list(tok.apply_chat_template(messages, tokenize=True, add_generation_prompt=generation_prompt))

    def user(i):
        return [{"role": "user", "content": instruction(i)}]

    score = [render(user(i) + [{"role": "assistant", "content": _answer(rnd, rnd.randint(4, 8))}], False)
             for i in range(args.batch)]
    # Completions end with EOS, as our pipeline's DPO completions do.
    pairs = [{"prompt_ids": render(user(i), True),
              "chosen_ids": tok.encode(_answer(rnd, rnd.randint(4, 7)), add_special_tokens=False) + [eos],
              "rejected_ids": tok.encode(_answer(rnd, rnd.randint(4, 7)), add_special_tokens=False) + [eos]}
             for i in range(args.pairs)]
    prompts = [render(user(i), True) for i in range(32)]
    return score, pairs, prompts


def cmd_inputs(args):
    rnd = random.Random(args.seed)

    def ids(n):
        return [rnd.randrange(3, args.vocab) for _ in range(n)]

    if args.tokenizer:
        score, pairs, prompts = _chat_inputs(args, rnd)
    else:
        score = [ids(args.seq) for _ in range(args.batch)]
        pairs = [{"prompt_ids": ids(args.prompt_len), "chosen_ids": ids(args.seq - args.prompt_len),
                  "rejected_ids": ids(args.seq - args.prompt_len)} for _ in range(args.pairs)]
        prompts = [ids(args.prompt_len) for _ in range(32)]
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "score.jsonl"), "w") as f:
        for row in score:
            f.write(json.dumps({"input_ids": row}) + "\n")
    with open(os.path.join(args.out, "pairs.jsonl"), "w") as f:
        for p in pairs:
            f.write(json.dumps(p) + "\n")
    for name, n in (("prompts1.jsonl", 1), ("prompts32.jsonl", 32)):
        with open(os.path.join(args.out, name), "w") as f:
            for row in prompts[:n]:
                f.write(json.dumps({"input_ids": row}) + "\n")

    # What each work is, for the report's table (the lengths differ between random and chat inputs).
    def span(lengths):
        return str(lengths[0]) if min(lengths) == max(lengths) else f"{min(lengths)}-{max(lengths)}"

    kind = "chat " if args.tokenizer else ""
    rows = [len(p["prompt_ids"]) + len(c) for p in pairs for c in (p["chosen_ids"], p["rejected_ids"])]
    names = {"score": f"score ({len(score)} {kind}x {span([len(r) for r in score])})",
             "dpo": f"DPO step ({len(pairs)} {kind}pairs, {len(rows)} x {span(rows)})",
             "gen1": f"generate batch 1 (greedy, {args.new_tokens} new)",
             "gen32x8": f"generate 32 {kind}prompts x K=8 (sampled, {args.new_tokens} new)"}
    line = {"side": "inputs", "work": "inputs", "label": args.label, "names": names,
            "tokenizer": args.tokenizer}
    print(json.dumps(line))
    if args.json:
        with open(args.json, "a") as f:
            f.write(json.dumps(line) + "\n")


def cmd_matmul(args):
    torch = setup(args.threads)
    n = args.n
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    secs = timed(lambda: torch.matmul(a, b), 3, args.reps)
    m = median(secs)
    emit(args, {"work": "matmul", "n": n, "seconds": secs, "median_s": m, "gflops": 2 * n ** 3 / m / 1e9,
                "threads": torch.get_num_threads()})


def load(torch, args):
    return ref.load_model(torch, args.model, args.attn_impl)


def cmd_score(args):
    torch = setup(args.threads)
    model = load(torch, args)
    rows = [ids for _, ids in ref.read_ids(args.input)]
    # Right-padded to the longest row, as our scorer batches them: with causal attention the padding cannot reach
    # the real tokens, so no mask is needed; tokens counted are the real ones on both sides.
    width = max(len(r) for r in rows)
    x = torch.tensor([r + [0] * (width - len(r)) for r in rows], dtype=torch.long)
    real = sum(len(r) for r in rows)

    def once():
        logits = model(input_ids=x, use_cache=False).logits
        lp = logits[:, :-1].log_softmax(-1).gather(-1, x[:, 1:].unsqueeze(-1)).squeeze(-1)
        return lp

    secs = timed(once, args.warmup, args.reps)
    m = median(secs)
    emit(args, {"work": "score", "attn": args.attn_impl, "tokens": real, "reps": args.reps, "seconds": secs,
                "median_s": m, "tokens_per_s": real / m, "params": sum(p.numel() for p in model.parameters())})


def cmd_generate(args):
    torch = setup(args.threads)
    model = load(torch, args)
    rows = [ids for _, ids in ref.read_ids(args.input)]
    # Left-padded with an attention mask, as generate expects (and as our generator batches prompts).
    width = max(len(r) for r in rows)
    x = torch.tensor([[0] * (width - len(r)) + r for r in rows], dtype=torch.long)
    mask = torch.tensor([[0] * (width - len(r)) + [1] * len(r) for r in rows], dtype=torch.long)
    gc = model.generation_config
    gc.eos_token_id = None
    gc.pad_token_id = 0
    gc.max_length = None
    gc.min_length = 0
    gc.max_new_tokens = args.new_tokens
    gc.num_beams = 1
    gc.repetition_penalty = None
    if args.samples == 1:
        gc.do_sample, gc.temperature, gc.top_p, gc.top_k = False, None, None, None
        gc.num_return_sequences = 1
    else:
        gc.do_sample, gc.temperature, gc.top_p, gc.top_k = True, 0.8, 0.95, 0
        gc.num_return_sequences = args.samples
    torch.manual_seed(1)
    out = {}

    def once():
        y = model.generate(input_ids=x, attention_mask=mask, generation_config=gc)
        out["shape"] = list(y.shape)

    gc.max_new_tokens = min(args.new_tokens, args.warmup_new_tokens)
    for _ in range(args.warmup):
        once()
    gc.max_new_tokens = args.new_tokens
    secs = timed(once, 0, args.reps)
    new = out["shape"][1] - x.shape[1]
    if new != args.new_tokens:
        raise SystemExit(f"generated {new} tokens, expected {args.new_tokens}")
    tokens = out["shape"][0] * new
    m = median(secs)
    emit(args, {"work": "generate", "attn": args.attn_impl, "rows": out["shape"][0], "tokens": tokens,
                "reps": args.reps, "seconds": secs, "median_s": m, "tokens_per_s": tokens / m})


def cmd_dpo(args):
    torch = setup(args.threads)
    torch.set_grad_enabled(True)
    from datasets import Dataset
    from transformers import TrainerCallback
    from trl import DPOConfig, DPOTrainer

    pairs = ref.read_pairs(args.input)
    model = load(torch, args)
    model.train()
    tokens = sum(2 * len(p["prompt_ids"]) + len(p["chosen_ids"]) + len(p["rejected_ids"]) for p in pairs)

    class PreTokenized(DPOTrainer):
        def _prepare_dataset(self, dataset, processing_class, args, dataset_name):
            return dataset

    times = []

    class Clock(TrainerCallback):
        def on_step_begin(self, a, state, control, **kw):
            self.t = time.perf_counter()

        def on_step_end(self, a, state, control, **kw):
            times.append(time.perf_counter() - self.t)

    steps = args.warmup + args.reps
    work = os.path.join(args.tmp, "trl-bench")
    config = DPOConfig(output_dir=work, beta=0.1, loss_type=["sigmoid"], learning_rate=1e-6,
                       per_device_train_batch_size=len(pairs), gradient_accumulation_steps=1, max_steps=steps,
                       lr_scheduler_type="constant", warmup_steps=0, weight_decay=0.0, max_grad_norm=1.0,
                       optim="adamw_torch", max_length=None, padding_free=False, precompute_ref_log_probs=True,
                       gradient_checkpointing=False, bf16=False, fp16=False, use_cpu=True, logging_steps=1,
                       save_strategy="no", report_to=[], seed=1, dataloader_drop_last=False,
                       remove_unused_columns=False, disable_dropout=True)
    trainer = PreTokenized(model=model, ref_model=None, args=config, train_dataset=Dataset.from_list(pairs),
                           processing_class=ref._id_tokenizer(model.config.vocab_size), callbacks=[Clock()])
    trainer.train()
    import shutil

    shutil.rmtree(work, ignore_errors=True)
    secs = times[args.warmup:]
    m = median(secs)
    emit(args, {"work": "dpo", "attn": args.attn_impl, "tokens": tokens, "reps": len(secs), "seconds": secs,
                "warmup_s": times[:args.warmup], "median_s": m, "tokens_per_s": tokens / m})


def cmd_report(args):
    """Raw JSON lines (both sides) -> the side-by-side table (markdown, stdout) and one results JSON (--out)."""
    raw = [json.loads(l) for l in open(args.raw) if l.strip()]
    last = lambda rs: rs[-1] if rs else None  # noqa: E731 - a redone measurement replaces the earlier one
    matmul = last([r for r in raw if r["work"] == "matmul"])
    peak = matmul["gflops"] * 1e9 if matmul else None
    models = {}
    for spec in args.models:
        size, folder = spec.split("=", 1)
        cfg = json.load(open(os.path.join(folder, "config.json")))
        h, v = cfg["hidden_size"], cfg["vocab_size"]
        from safetensors import safe_open

        total = 0
        with safe_open(os.path.join(folder, "model.safetensors"), "pt") as f:
            for k in f.keys():
                n = 1
                for d in f.get_slice(k).get_shape():
                    n *= d
                total += n
        # The input embedding is a lookup (no multiply-adds): FLOPs count the other parameters.
        models[size] = {"params": total, "matmul_params": total - v * h, "folder": folder,
                        "weights": "trained" if os.path.isfile(os.path.join(folder, "tokenizer.json")) else "random",
                        "config": {k: cfg[k] for k in ("vocab_size", "hidden_size", "intermediate_size",
                                                       "num_hidden_layers", "num_attention_heads",
                                                       "num_key_value_heads", "tie_word_embeddings")}}
    default_names = {"score": "score (8 x 256)", "dpo": "DPO step (8 pairs, 16 x 256)",
                     "gen1": "generate batch 1 (greedy, 64 new)", "gen32x8": "generate 32 prompts x K=8 (sampled, 64 new)"}
    targets = {"gen32x8": 2.0}
    rss_target = 1.5
    rows = []
    for size in models:
        described = last([r for r in raw if r["work"] == "inputs" and r["label"] == size])
        names = described["names"] if described else default_names
        for work in ("score", "dpo", "gen1", "gen32x8"):
            label = f"{size}/{work}"
            ours = last([r for r in raw if r["label"] == label and r["side"] == "ours"])
            peers = {r.get("attn", "?"): r for r in raw if r["label"] == label and r["side"] == "peer"}
            if ours is None and not peers:
                continue
            mult = 6 if work == "dpo" else 2
            mp = models[size]["matmul_params"]

            def frac(r):
                return None if r is None or peak is None else mult * mp * r["tokens_per_s"] / peak

            row = {"size": size, "work": work, "what": names[work], "target_ratio": targets.get(work, 1.0),
                   "ours": None if ours is None else {k: ours[k] for k in ours if k != "label"},
                   "ours_tokens_per_s": None if ours is None else ours["tokens_per_s"],
                   "ours_peak_fraction": frac(ours), "ours_vmhwm_mib": None if ours is None else ours["vmhwm_kib"] / 1024}
            for attn, r in sorted(peers.items()):
                row[f"peer_{attn}"] = {k: r[k] for k in r if k != "label"}
                row[f"peer_{attn}_tokens_per_s"] = r["tokens_per_s"]
                row[f"peer_{attn}_peak_fraction"] = frac(r)
                row[f"peer_{attn}_vmhwm_mib"] = r["vmhwm_kib"] / 1024
                if ours is not None:
                    row[f"ratio_vs_{attn}"] = ours["tokens_per_s"] / r["tokens_per_s"]
            if ours is not None and peers:
                # Memory against the leaner of the two peers: the target is at most 1.5x transformers'.
                row["rss_target_ratio"] = rss_target
                row["rss_ratio_vs_best_peer"] = ours["vmhwm_kib"] / min(r["vmhwm_kib"] for r in peers.values())
            rows.append(row)
    # Every row names the run it comes from: ratios compare within one run, never across machines or loads.
    run = {"machine": args.machine, "date": time.strftime("%Y-%m-%d %H:%M"),
           "matmul_gflops": matmul["gflops"] if matmul else None}
    for row in rows:
        row["run"] = run
    # Sizes not measured this time keep their rows from the previous results (with that run's machine and matmul).
    if os.path.isfile(args.out):
        old = json.load(open(args.out))
        old_run = {"machine": old.get("machine"), "date": None,
                   "matmul_gflops": (old.get("matmul") or {}).get("gflops")}
        kept = [r for r in old.get("rows", []) if r["size"] not in models]
        for r in kept:
            r.setdefault("run", old_run)
        rows = kept + rows
        models = {**{k: v for k, v in old.get("models", {}).items() if k not in models}, **models}
    result = {"machine": args.machine, "threads": 2, "matmul": matmul, "models": models,
              "flops_note": "model FLOP/s = 2 (6 for DPO training) x parameters without the input embedding x tokens/s; "
                            "fraction of the measured torch.matmul float32 GFLOP/s of the row's run",
              "rows": rows}
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")

    def fmt(x, spec):
        return "-" if x is None else format(x, spec)

    if matmul:
        print(f"float32 matmul {matmul['n']}^3, {matmul['threads']} threads: {matmul['gflops']:.1f} GFLOP/s")
    if args.machine:
        print(f"machine: {args.machine}")
    for size, m in models.items():
        print(f"{size}: {m['params']:,} parameters ({m['matmul_params']:,} without the input embedding), "
              f"{m.get('weights', 'random')} weights, {m['config']}")
    print("| model | work | ours tok/s | eager tok/s | sdpa tok/s | ours/eager | ours/sdpa | target | ours %peak | "
          "eager %peak | sdpa %peak | ours RSS MiB | eager RSS MiB | sdpa RSS MiB | RSS ours/peer | RSS target |")
    print("|" + "---|" * 16)
    for r in rows:
        print("| " + " | ".join([
            r["size"], r["what"], fmt(r["ours_tokens_per_s"], ".0f"), fmt(r.get("peer_eager_tokens_per_s"), ".0f"),
            fmt(r.get("peer_sdpa_tokens_per_s"), ".0f"), fmt(r.get("ratio_vs_eager"), ".2f"),
            fmt(r.get("ratio_vs_sdpa"), ".2f"), f">= {r['target_ratio']:.1f}",
            fmt(None if r["ours_peak_fraction"] is None else 100 * r["ours_peak_fraction"], ".1f"),
            fmt(None if r.get("peer_eager_peak_fraction") is None else 100 * r["peer_eager_peak_fraction"], ".1f"),
            fmt(None if r.get("peer_sdpa_peak_fraction") is None else 100 * r["peer_sdpa_peak_fraction"], ".1f"),
            fmt(r["ours_vmhwm_mib"], ".0f"), fmt(r.get("peer_eager_vmhwm_mib"), ".0f"),
            fmt(r.get("peer_sdpa_vmhwm_mib"), ".0f"), fmt(r.get("rss_ratio_vs_best_peer"), ".2f"),
            "-" if r.get("rss_ratio_vs_best_peer") is None else f"<= {rss_target:.1f}"]) + " |")


def main():
    p = argparse.ArgumentParser(prog="bench_peer.py")
    sub = p.add_subparsers(dest="cmd", required=True)

    def common(sp, model=True):
        sp.add_argument("--threads", type=int, default=2)
        sp.add_argument("--reps", type=int, default=3)
        sp.add_argument("--warmup", type=int, default=1)
        sp.add_argument("--label", default="")
        sp.add_argument("--json")
        if model:
            sp.add_argument("--model", required=True)
            sp.add_argument("--input", required=True)
            sp.add_argument("--attn-impl", default="eager", choices=["eager", "sdpa"])

    i = sub.add_parser("inputs")
    i.add_argument("--out", required=True)
    i.add_argument("--vocab", type=int, required=True)
    i.add_argument("--seed", type=int, default=7)
    i.add_argument("--batch", type=int, default=8)
    i.add_argument("--seq", type=int, default=256)
    i.add_argument("--pairs", type=int, default=8)
    i.add_argument("--prompt-len", type=int, default=32)
    i.add_argument("--new-tokens", type=int, default=64, help="only for the work names in the report")
    i.add_argument("--tokenizer", help="model folder with a chat template: chat-formatted inputs instead of random ids")
    i.add_argument("--label", default="", help="model size the inputs belong to")
    i.add_argument("--json", help="append the work names as one JSON line (read by report)")
    i.set_defaults(func=cmd_inputs)
    mm = sub.add_parser("matmul")
    common(mm, model=False)
    mm.add_argument("--n", type=int, default=1024)
    mm.set_defaults(func=cmd_matmul)
    s = sub.add_parser("score")
    common(s)
    s.set_defaults(func=cmd_score)
    g = sub.add_parser("generate")
    common(g)
    g.add_argument("--samples", type=int, default=1)
    g.add_argument("--new-tokens", type=int, default=64)
    g.add_argument("--warmup-new-tokens", type=int, default=8, help="warm-up runs: same shapes, fewer new tokens")
    g.set_defaults(func=cmd_generate)
    d = sub.add_parser("dpo")
    common(d)
    d.add_argument("--tmp", default="/tmp")
    d.set_defaults(func=cmd_dpo)
    r = sub.add_parser("report")
    r.add_argument("--raw", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--machine", default="")
    r.add_argument("--models", nargs="+", required=True, help="SIZE=FOLDER ...")
    r.set_defaults(func=cmd_report)
    args = p.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
