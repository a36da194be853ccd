"""bert-base-chinese 与 bert-base-uncased 的参数量：从配置逐层数出来。

配置取自两个模型在 Hugging Face 上的 config.json：12 层、隐藏维度 768、前馈维度 3072、
最大位置 512、句子类型 2；词表分别为 21128（中文）和 30522（英文）。
"""


def bert_params(vocab, hidden=768, layers=12, ffn=3072, positions=512, types=2, pooler=True):
    embeddings = (vocab + positions + types) * hidden + 2 * hidden  # 三张嵌入表 + LayerNorm
    attention = 4 * (hidden * hidden + hidden) + 2 * hidden          # Q、K、V、输出投影 + LayerNorm
    feedforward = hidden * ffn + ffn + ffn * hidden + hidden + 2 * hidden
    per_layer = attention + feedforward
    total = embeddings + layers * per_layer + (hidden * hidden + hidden if pooler else 0)
    return embeddings, per_layer, total


emb_zh, layer, total_zh = bert_params(21128)
emb_en, _, total_en = bert_params(30522)

# 每层 7,087,872 个参数，与词表无关；两个模型只差在词嵌入表上
assert layer == 7_087_872
assert total_en - total_zh == (30522 - 21128) * 768
# 英文 bert-base 约 1.1 亿（BERT 论文的 110M），中文版约 1.02 亿
assert round(total_en / 1e8, 2) == 1.09 and round(total_zh / 1e8, 2) == 1.02

print(f"每个编码器层：{layer:,} 个参数")
print(f"bert-base-chinese：嵌入层 {emb_zh:,}，合计 {total_zh:,}（约 {total_zh / 1e8:.2f} 亿）")
print(f"bert-base-uncased：嵌入层 {emb_en:,}，合计 {total_en:,}（约 {total_en / 1e8:.2f} 亿）")
print(f"词嵌入占中文模型的 {21128 * 768 / total_zh:.1%}")
