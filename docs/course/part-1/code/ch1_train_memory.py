"""混合精度 + Adam 训练时模型状态占用的显存：每个参数 16 字节（Rajbhandari 等，2020，ZeRO 第 3 节）。

FP16/BF16 权重 2 字节 + FP16/BF16 梯度 2 字节 + FP32 主权重 4 字节 + Adam 一阶、二阶矩各 4 字节。
不含激活值、临时缓冲与显存碎片，实际占用更多。
"""

import math

BYTES = {"FP16 权重": 2, "FP16 梯度": 2, "FP32 主权重": 4, "Adam 一阶矩": 4, "Adam 二阶矩": 4}
PER_PARAM = sum(BYTES.values())
assert PER_PARAM == 16


def zero_bytes(params, n_gpus, stage):
    """ZeRO 各阶段每块 GPU 上的模型状态：1 切分优化器状态，2 再切分梯度，3 再切分权重。"""
    weights, grads, optim = 2 * params, 2 * params, 12 * params
    if stage >= 1:
        optim /= n_gpus
    if stage >= 2:
        grads /= n_gpus
    if stage >= 3:
        weights /= n_gpus
    return weights + grads + optim


print("每个参数：" + " + ".join(f"{k} {v}" for k, v in BYTES.items()) + f" = {PER_PARAM} 字节")
for name, params in [("GPT-3 175B", 175e9), ("Llama 3 8B", 8.03e9)]:
    total = PER_PARAM * params
    print(f"{name}：模型状态 {total / 1e9:,.0f} GB，相当于 {total / 80e9:.1f} 块 80 GB GPU 的显存，至少要 {math.ceil(total / 80e9)} 块；只存 FP16 权重 {2 * params / 1e9:,.0f} GB")

# ZeRO 论文图 1 的例子：7.5B 参数、64 块 GPU，每卡 120 / 31.4 / 16.6 / 1.9 GB
per_gpu = [zero_bytes(7.5e9, 64, s) / 1e9 for s in range(4)]
print("ZeRO（7.5B，64 块 GPU）每卡：" + " / ".join(f"{x:.1f} GB" for x in per_gpu))
assert [round(x, 1) for x in per_gpu] == [120.0, 31.4, 16.6, 1.9]
