"""从模型配置估算参数量：GPT-3 175B、Llama 3 8B（SwiGLU + GQA）与 Mixtral 8x7B（稀疏 MoE）。

配置来源：GPT-3 见 Brown 等（2020）表 2.1；Llama 3 8B 见 Llama 3 论文表 3（词表取发布配置的 128256）；
Mixtral 8x7B 见 Jiang 等（2024）表 1。只用标准库，结果确定。
"""


def gpt3_params(n_layer, d, vocab, n_ctx):
    """标准 Transformer：每层约 12 d^2（注意力 4 d^2 + 前馈 8 d^2），另加词嵌入与位置嵌入。"""
    non_embedding = 12 * n_layer * d**2
    embedding = vocab * d + n_ctx * d
    return non_embedding, embedding


def llama_layer(d, n_heads, n_kv_heads, ffn, n_experts=1):
    """Llama 式的一层：GQA 注意力（K、V 只有 n_kv_heads 个头）+ SwiGLU 前馈（3 个矩阵）+ 2 个 RMSNorm。"""
    head_dim = d // n_heads
    attention = 2 * d * d + 2 * d * (n_kv_heads * head_dim)  # W_q, W_o 与 W_k, W_v
    expert = 3 * d * ffn  # SwiGLU 的 W_gate, W_up, W_down
    router = d * n_experts if n_experts > 1 else 0
    return attention, expert, router, 2 * d


def llama_params(n_layer, d, n_heads, n_kv_heads, ffn, vocab, n_experts=1, top_k=1):
    attention, expert, router, norms = llama_layer(d, n_heads, n_kv_heads, ffn, n_experts)
    embeddings = 2 * vocab * d + d  # 输入嵌入与输出头不共享，另加最后一个 RMSNorm
    total = n_layer * (attention + n_experts * expert + router + norms) + embeddings
    active = n_layer * (attention + top_k * expert + router + norms) + embeddings
    return total, active


non_emb, emb = gpt3_params(n_layer=96, d=12288, vocab=50257, n_ctx=2048)
gpt3 = non_emb + emb
print(f"GPT-3：非嵌入部分 12·n_layer·d² = {non_emb / 1e9:.1f}B，加嵌入 {emb / 1e9:.2f}B，共 {gpt3 / 1e9:.1f}B（论文：175.0B）")
assert abs(gpt3 / 175.0e9 - 1) < 0.01

llama8b, _ = llama_params(n_layer=32, d=4096, n_heads=32, n_kv_heads=8, ffn=14336, vocab=128256)
print(f"Llama 3 8B：共 {llama8b / 1e9:.2f}B（其中嵌入与输出头 {2 * 128256 * 4096 / 1e9:.2f}B）")
assert 7.9e9 < llama8b < 8.1e9

total, active = llama_params(n_layer=32, d=4096, n_heads=32, n_kv_heads=8, ffn=14336, vocab=32000, n_experts=8, top_k=2)
print(f"Mixtral 8x7B：总参数 {total / 1e9:.1f}B，每个词元激活 {active / 1e9:.1f}B，占 {active / total:.0%}（论文：47B / 13B）")
assert round(total / 1e9) == 47 and round(active / 1e9) == 13
