"""训练计算量 C ≈ 6ND、PF-days，以及在 N 块加速器上按给定利用率需要的天数。

输入均来自论文：GPT-3（Brown 等，2020）、PaLM（Chowdhery 等，2023）、Llama 3（2024）、DeepSeek-V3（2024）。
"""

PF_DAY = 1e15 * 86400  # 每秒 10^15 次运算持续一天


def six_nd(n_params, n_tokens):
    return 6 * n_params * n_tokens


def days(flops, n_chips, flops_per_chip):
    """flops_per_chip 是每块芯片实际维持的每秒运算次数（峰值 × 利用率）。"""
    return flops / (n_chips * flops_per_chip) / 86400


# GPT-3：论文报告 3.14e23 FLOPs，而这个数本身就是按 6ND 算出来的（附录 D 表 D.1 的说明）
gpt3 = six_nd(175e9, 300e9)
print(f"GPT-3：按 6ND 得 {gpt3:.3g} FLOPs = {gpt3 / PF_DAY:.0f} PF-days（论文：3.14e23 FLOPs，3640 PF-days）")
assert abs(gpt3 / 3.14e23 - 1) < 0.01

# PaLM 540B：780B 词元；6144 块 TPU v4 训练 1200 小时，再用 3072 块训练 336 小时（含停机与重复步骤）
palm = six_nd(540e9, 780e9)
chip_hours = 6144 * 1200 + 3072 * 336
utilization = palm / (chip_hours * 3600 * 275e12)  # TPU v4 的 bf16 峰值 275 TFLOPs（PaLM 论文计算 MFU 时所用）
print(f"PaLM：6ND = {palm:.3g} FLOPs；{chip_hours:,} 芯片小时；按峰值折算的平均利用率 {utilization:.1%}（论文 MFU：46.2%，未计停机）")
assert abs(palm / 2.5272e24 - 1) < 0.001 and utilization < 0.462

# Llama 3：405B 在 15.6T 词元上训练（论文：3.8e25 FLOPs）；8B 在 15T 词元上训练
llama405 = six_nd(405e9, 15.6e12)
llama8 = six_nd(8e9, 15e12)
d8 = days(llama8, n_chips=1024, flops_per_chip=400e12)  # 假设：1024 块 H100，每块实际 400 TFLOPs
print(f"Llama 3 405B：6ND = {llama405:.2g} FLOPs；Llama 3 8B：6ND = {llama8:.2g} FLOPs，1024 块 GPU × 400 TFLOPs 约需 {d8:.1f} 天")
assert round(llama405 / 1e25, 1) == 3.8

# DeepSeek-V3：MoE 模型每个词元只激活 37B 参数，14.8T 词元，全部训练共 2.788M H800 GPU 小时
ds = six_nd(37e9, 14.8e12)
per_gpu = ds / (2.788e6 * 3600)
print(f"DeepSeek-V3：按激活参数 6ND = {ds:.3g} FLOPs；折合每块 GPU 每秒 {per_gpu / 1e12:.0f} TFLOPs")
assert 2e14 < per_gpu < 5e14
