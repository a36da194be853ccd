"""第 4 章示例：用纸笔公式估算大模型的参数量、训练算力与显存，
并验证 Chinchilla 参数化损失在固定算力下的最优分配公式。

只依赖 NumPy；结果确定，运行时间远小于 1 秒。
"""
import numpy as np

# ---------------------------------------------------------------------------
# 1. 参数量：每个 Transformer 层约 12 d^2 个参数（Kaplan et al., 2020）
#    注意力 4 d^2（Q、K、V、输出投影）+ 前馈网络 8 d^2（隐藏维 4d）
# ---------------------------------------------------------------------------
def transformer_params(n_layer: int, d_model: int, vocab: int = 0) -> int:
    """非嵌入参数 12 * L * d^2，外加可选的词嵌入 vocab * d。"""
    return 12 * n_layer * d_model**2 + vocab * d_model


# GPT-3 175B 的公开配置：96 层，d_model = 12288，词表 50257（Brown et al., 2020）
n_gpt3 = transformer_params(96, 12288, vocab=50257)
print(f"GPT-3 估算参数量：{n_gpt3 / 1e9:.1f} B")
assert abs(n_gpt3 - 175e9) / 175e9 < 0.01, "12Ld^2 公式应与 175B 相差不到 1%"

# ---------------------------------------------------------------------------
# 2. 训练算力：C ≈ 6 N D（前向 2ND，反向 4ND）
# ---------------------------------------------------------------------------
def train_flops(n_params: float, n_tokens: float) -> float:
    return 6.0 * n_params * n_tokens


c_gpt3 = train_flops(175e9, 300e9)
print(f"GPT-3 训练算力估算：{c_gpt3:.3e} FLOPs（论文表 D.1 的 3.14e23 也按 6ND 算出，一致不算独立验证）")
assert abs(c_gpt3 - 3.14e23) / 3.14e23 < 0.01  # 同一公式、同一组 N 与 D，结果只差舍入

# ---------------------------------------------------------------------------
# 3. 显存：推理只存权重；混合精度 Adam 训练每参数约 16 字节（ZeRO 论文）
# ---------------------------------------------------------------------------
BYTES = {"FP32": 4.0, "FP16/BF16": 2.0, "INT8": 1.0, "INT4": 0.5}
TRAIN_BYTES_PER_PARAM = 2 + 2 + 12  # FP16 权重 + FP16 梯度 + FP32 优化器状态


def gb(n_bytes: float) -> float:
    """十进制 GB（10^9 字节），与正文表格一致。"""
    return n_bytes / 1e9


for n in (7e9, 70e9, 175e9):
    row = ", ".join(f"{k}: {gb(n * b):7.1f} GB" for k, b in BYTES.items())
    train = gb(n * TRAIN_BYTES_PER_PARAM)
    print(f"N = {n / 1e9:5.0f}B | {row} | 训练（混合精度 Adam）：{train:.1f} GB")
    assert np.isclose(n * BYTES["FP32"], 4 * n * BYTES["INT8"])  # INT8 比 FP32 省 4 倍
    assert TRAIN_BYTES_PER_PARAM == 8 * BYTES["FP16/BF16"]  # 训练 = 8 倍 FP16 权重

# ---------------------------------------------------------------------------
# 4. Chinchilla 参数化损失 L(N, D) = E + A/N^alpha + B/D^beta（Hoffmann et al., 2022）
#    在 C = 6ND 约束下的闭式最优解，与网格搜索对照
# ---------------------------------------------------------------------------
E, A, B, ALPHA, BETA = 1.69, 406.4, 410.7, 0.34, 0.28


def chinchilla_loss(n: np.ndarray, d: np.ndarray) -> np.ndarray:
    return E + A / n**ALPHA + B / d**BETA


def optimal_allocation(c: float) -> tuple[float, float]:
    g = (ALPHA * A / (BETA * B)) ** (1.0 / (ALPHA + BETA))
    n_opt = g * (c / 6.0) ** (BETA / (ALPHA + BETA))
    d_opt = (1.0 / g) * (c / 6.0) ** (ALPHA / (ALPHA + BETA))
    return n_opt, d_opt


C_CHINCHILLA = train_flops(70e9, 1.4e12)  # Chinchilla 实际配置：70B 参数、1.4T 词元
print(f"Chinchilla 训练算力估算：{C_CHINCHILLA:.3e} FLOPs，D/N = {1.4e12 / 70e9:.0f}")

for c in (1e21, C_CHINCHILLA, 1e25):
    n_opt, d_opt = optimal_allocation(c)
    assert np.isclose(6 * n_opt * d_opt, c)  # 满足算力约束
    grid = np.logspace(7, 14, 200_001)  # 在对数网格上搜索参数量
    losses = chinchilla_loss(grid, c / (6 * grid))
    n_grid = grid[np.argmin(losses)]
    assert abs(np.log(n_grid / n_opt)) < 1e-3, "闭式解应与网格搜索一致"
    print(
        f"C = {c:.2e}: N_opt = {n_opt / 1e9:8.2f} B, D_opt = {d_opt / 1e9:9.1f} B tokens, "
        f"D/N = {d_opt / n_opt:5.1f}, L = {chinchilla_loss(n_opt, d_opt):.3f}"
    )

# 指数 a = beta/(alpha+beta)：论文表 2 中方法 3 报告 a = 0.46（方法 1、2 为 0.50、0.49）；
# 用正文舍入后的常数只得到 0.452，见 ch4_rounding.py
print(f"N_opt ∝ C^{BETA / (ALPHA + BETA):.3f}, D_opt ∝ C^{ALPHA / (ALPHA + BETA):.3f}")
assert np.isclose(BETA / (ALPHA + BETA) + ALPHA / (ALPHA + BETA), 1.0)

# 损失随规模单调下降但收益递减：参数量每扩大 10 倍，可约减损失项缩小为 10^(-0.34)
red = (A / (10 * 1e9) ** ALPHA) / (A / 1e9**ALPHA)
print(f"参数量扩大 10 倍，参数项缩小为原来的 {red:.3f}")
assert np.isclose(red, 10 ** (-ALPHA))
