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

# PaLM 540B：780B 词元；6144 块 TPU v4 训练 1200 小时、3072 块训练 336 小时（含停机与重复步骤，附录 B）
palm = six_nd(540e9, 780e9)
chip_hours = 6144 * 1200 + 3072 * 336
# TPU v4 的峰值 275 TFLOP/s 是 PaLM 论文计算 MFU 时所用；论文的 MFU 不计注意力时为 45.7%，与 6ND 口径相同
utilization = palm / (chip_hours * 3600 * 275e12)
print(f"PaLM：6ND = {palm:.3g} FLOPs（论文表 22 含注意力：2.56e24）；{chip_hours:,} 芯片小时；"
      f"按峰值折算的平均利用率 {utilization:.1%}（论文 MFU，不计注意力：45.7%）")
assert abs(palm / 2.5272e24 - 1) < 0.001 and utilization < 0.457
# 附录 B：每块芯片实测系统功率 378.5 W、数据中心 PUE 1.08、电网碳强度 0.079 tCO2e/MWh，论文给出排放 271.43 tCO2e
energy_mwh = chip_hours * 378.5 * 1.08 / 1e6
print(f"PaLM：耗电约 {energy_mwh:,.0f} MWh，排放约 {energy_mwh * 0.079:.0f} tCO2e（论文：271.43 tCO2e）")
assert abs(energy_mwh * 0.079 / 271.43 - 1) < 0.01

# Llama 3：405B 在 15.6T 词元上训练（论文：3.8e25 FLOPs）；8B 在 15T 词元上训练
llama405 = six_nd(405e9, 15.6e12)
llama8 = six_nd(8e9, 15e12)
d8 = days(llama8, n_chips=1024, flops_per_chip=400e12)  # 假设：1024 块 H100，每块实际 400 TFLOP/s
print(f"Llama 3 405B：6ND = {llama405:.2g} FLOPs；Llama 3 8B：6ND = {llama8:.2g} FLOPs，1024 块 GPU × 400 TFLOP/s 约需 {d8:.1f} 天")
assert round(llama405 / 1e25, 1) == 3.8

# DeepSeek-V3：MoE 模型每个词元只激活 37B 参数；14.8T 词元的预训练用了 2.664M H800 GPU 小时（全部训练 2.788M，表 1）
ds = six_nd(37e9, 14.8e12)
per_gpu = ds / (2.664e6 * 3600)
print(f"DeepSeek-V3：按激活参数 6ND = {ds:.3g} FLOPs；按预训练的 266.4 万 GPU 小时折合每块 GPU {per_gpu / 1e12:.0f} TFLOP/s")
assert 2e14 < per_gpu < 5e14
