"""一次训练的耗电与碳排放：GPU 小时 × 每卡平均功率 × PUE × 电网碳强度。

输入取自 Patterson 等（2021）对 GPT-3 的估算：10,000 块 V100 训练 14.8 天，
每块处理器平均功率 330 W，数据中心 PUE 1.10，电网碳强度 0.429 kgCO2e/kWh；
论文报告的结果是约 1287 MWh、552 tCO2e。
"""

GPUS, DAYS = 10_000, 14.8
POWER_KW, PUE, GRID_KG_PER_KWH = 0.330, 1.10, 0.429


def energy_mwh(gpu_hours: float, power_kw: float, pue: float) -> float:
    return gpu_hours * power_kw * pue / 1000


gpu_hours = GPUS * DAYS * 24
e = energy_mwh(gpu_hours, POWER_KW, PUE)
co2_t = e * GRID_KG_PER_KWH  # MWh × kg/kWh = t
print(f"GPT-3 的训练：{gpu_hours / 1e6:.3f} 百万 GPU 小时，耗电约 {e:,.0f} MWh，排放约 {co2_t:.0f} tCO2e")
assert abs(e / 1287 - 1) < 0.01 and abs(co2_t / 552 - 1) < 0.01  # 与论文报告值相差不到 1%

# 换一个数据中心：PUE 1.5，电网碳强度 0.1 kgCO2e/kWh（假设值，用于对比）
e2 = energy_mwh(gpu_hours, POWER_KW, 1.5)
co2_2 = e2 * 0.1
print(f"PUE 1.5、碳强度 0.1 时：耗电约 {e2:,.0f} MWh，排放约 {co2_2:.0f} tCO2e，为原来的 {co2_2 / co2_t:.2f} 倍")
assert co2_2 < co2_t
