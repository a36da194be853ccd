"""第 3 章示例：BERT 式预训练损失 = 掩码语言模型（MLM）损失 + 下一句预测（NSP）损失。

演示内容
1. 按 BERT 的做法选出约 15% 的位置，其中 80% 换成 [MASK]、10% 换成随机词、10% 保持不变；
2. MLM 损失只在被选中的位置上计算：未选中位置的 logits 改变不影响损失；
3. softmax 在“词表”上归一化，每个位置一个分布；多个位置的联合概率是逐位置概率之积，
   它在全部 V^T 个序列上求和为 1（原文把整段序列塞进一个 softmax 的写法是错的）；
4. BERT 论文的总损失是两项之和；原文写的 1/2 (L_MLM + L_NSP) 只是把损失和梯度整体缩小一半。
模型输出用随机 logits 代替，只为演示损失的计算方式。
"""
import itertools

import numpy as np

MASK_ID = 0  # 约定词表中 0 号为 [MASK]


def log_softmax(z):
    m = z.max(axis=-1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))


def corrupt(tokens, rng, vocab_size, select_prob=0.15):
    """返回 (被破坏的输入, 被选中位置的布尔掩码)。"""
    selected = rng.random(tokens.shape) < select_prob
    if not selected.any():
        selected[0] = True
    corrupted = tokens.copy()
    r = rng.random(tokens.shape)
    to_mask = selected & (r < 0.8)
    to_random = selected & (r >= 0.8) & (r < 0.9)
    corrupted[to_mask] = MASK_ID
    corrupted[to_random] = rng.integers(1, vocab_size, size=int(to_random.sum()))
    return corrupted, selected


def mlm_loss(logits, targets, selected):
    """被选中位置上的平均负对数似然。logits: (T, V)。"""
    logp = log_softmax(logits)
    idx = np.flatnonzero(selected)
    return -logp[idx, targets[idx]].mean()


def nsp_loss(logits2, is_next):
    """二分类交叉熵（两类 softmax）。logits2: (B, 2)，is_next: (B,) 取 0/1。"""
    logp = log_softmax(logits2)
    return -logp[np.arange(len(is_next)), is_next].mean()


def main():
    rng = np.random.default_rng(42)
    vocab_size, seq_len = 30, 200

    tokens = rng.integers(1, vocab_size, size=seq_len)
    corrupted, selected = corrupt(tokens, rng, vocab_size)
    n_sel = int(selected.sum())
    n_mask = int((corrupted[selected] == MASK_ID).sum())
    n_keep = int((corrupted[selected] == tokens[selected]).sum())
    print(f"选中 {n_sel}/{seq_len} 个位置，其中 [MASK] {n_mask} 个，保持原词 {n_keep} 个")
    assert 0 < n_sel < seq_len
    assert np.all(corrupted[~selected] == tokens[~selected])  # 未选中位置不动

    # MLM：模型在每个位置输出一个词表大小的 logits 向量
    logits = rng.normal(size=(seq_len, vocab_size))
    l_mlm = mlm_loss(logits, tokens, selected)

    # 改变未选中位置的 logits，损失不变
    logits2 = logits.copy()
    logits2[~selected] += rng.normal(size=logits2[~selected].shape) * 5
    assert np.isclose(mlm_loss(logits2, tokens, selected), l_mlm)

    # 均匀预测时 MLM 损失 = log V
    assert np.isclose(mlm_loss(np.zeros_like(logits), tokens, selected), np.log(vocab_size))

    # 联合概率：V=3、T=3 时枚举全部 27 个序列，逐位置概率之积的总和为 1
    small = rng.normal(size=(3, 3))
    p = np.exp(log_softmax(small))
    total = sum(np.prod([p[t, w] for t, w in enumerate(seq)])
                for seq in itertools.product(range(3), repeat=3))
    print(f"27 个序列的联合概率之和：{round(float(total), 12)}")
    assert np.isclose(total, 1.0)

    # NSP：一批句子对，50% 为真实下一句（标签 1），50% 为随机句（标签 0）
    batch = 16
    is_next = np.array([1, 0] * (batch // 2))
    nsp_logits = rng.normal(size=(batch, 2))
    l_nsp = nsp_loss(nsp_logits, is_next)

    bert_total = l_mlm + l_nsp        # BERT 论文：两项平均似然之和
    source_total = 0.5 * (l_mlm + l_nsp)  # 原文 §4.3 的写法
    print(f"L_MLM={l_mlm:.4f}  L_NSP={l_nsp:.4f}  和={bert_total:.4f}  原文写法={source_total:.4f}")
    assert l_mlm > 0 and l_nsp > 0
    assert np.isclose(source_total * 2, bert_total)

    # 两种写法的梯度方向相同，只差常数因子 1/2（对 SGD 等于把学习率减半；对 BERT 用的 Adam 几乎没有影响，见 ch3_adam_scale.py）
    eps = 1e-6
    d = np.zeros_like(logits)
    d[np.flatnonzero(selected)[0], 3] = eps
    g_sum = (mlm_loss(logits + d, tokens, selected) + l_nsp - bert_total) / eps
    g_half = (0.5 * (mlm_loss(logits + d, tokens, selected) + l_nsp) - source_total) / eps
    assert np.isclose(g_half, 0.5 * g_sum, rtol=1e-4)
    print("全部检查通过。")


if __name__ == "__main__":
    main()
