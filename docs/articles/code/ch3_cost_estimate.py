"""第 3 章示例：训练算力 6ND 与“调用 API 还是自己部署”的成本估算（纯标准库）。

第一部分的输入取自 DeepSeek-V3 技术报告（2024）：总参数 6710 亿、每个词元激活 370 亿、
预训练 14.8 万亿词元；报告表 1 给出的 H800 GPU 小时为预训练 266.4 万、上下文扩展 11.9 万、
后训练 0.5 万，合计 278.8 万，并按每 GPU 小时 2 美元的租价折算。
第二部分的价格与吞吐量全部是编者假设的示意值（不是任何厂商的报价），读者应换成自己查到的、
注明日期的价格与实测吞吐量。
"""

# ---- 第一部分：训练算力 C ≈ 6 N D -------------------------------------------------------------
N_TOTAL = 671e9          # 总参数（DeepSeek-V3）
N_ACTIVE = 37e9          # 每个词元激活的参数（稀疏 MoE）
D_TOKENS = 14.8e12       # 预训练词元数
PRETRAIN_GPU_HOURS = 2.664e6  # 报告表 1：预训练
GPU_HOURS = 2.788e6           # 报告表 1：合计（预训练 + 上下文扩展 11.9 万 + 后训练 0.5 万）
PRICE_PER_GPU_HOUR = 2.0      # 报告折算时假设的租价（美元）


def train_flops(n_params, n_tokens):
    """训练一遍的近似计算量：前向约 2N、反向约 4N FLOPs/词元。"""
    return 6 * n_params * n_tokens


c_active = train_flops(N_ACTIVE, D_TOKENS)
c_dense = train_flops(N_TOTAL, D_TOKENS)
cost = GPU_HOURS * PRICE_PER_GPU_HOUR
per_gpu = c_active / (PRETRAIN_GPU_HOURS * 3600)  # 分子、分母都只算预训练

print(f"按激活参数 6ND = {c_active:.3e} FLOPs")
print(f"若 6710 亿参数全部参与计算 = {c_dense:.3e} FLOPs，是前者的 {c_dense / c_active:.1f} 倍")
print(f"租用成本 = {GPU_HOURS:,.0f} GPU 小时 × {PRICE_PER_GPU_HOUR} 美元 = {cost / 1e6:.3f} 百万美元"
      f"（其中预训练 {PRETRAIN_GPU_HOURS * PRICE_PER_GPU_HOUR / 1e6:.3f} 百万美元）")
print(f"预训练折合每块 GPU 每秒有效完成 {per_gpu / 1e12:.0f} TFLOP")
print(f"每个参数对应的训练词元：按激活参数 {D_TOKENS / N_ACTIVE:.0f} 个，按总参数 {D_TOKENS / N_TOTAL:.0f} 个"
      f"（Chinchilla：1.4 万亿 / 700 亿 = {1.4e12 / 70e9:.0f} 个）")
assert abs(c_active - 3.2856e24) < 1e20
assert abs(cost - 5.576e6) < 1
assert abs(PRETRAIN_GPU_HOURS + 0.119e6 + 0.005e6 - GPU_HOURS) < 1  # 表 1 的三项之和等于合计
assert abs(c_dense / c_active - N_TOTAL / N_ACTIVE) < 1e-9

# ---- 第二部分：推理——按量付费的 API 与包月租用 GPU 自己部署 ---------------------------------------
# 以下四个数都是假设值（示意），不是任何厂商的报价。
API_PRICE_PER_M = 2.0     # 假设：API 每百万词元 2 美元（输入输出混合计）
GPUS = 8                  # 假设：自部署用 8 块 GPU
RENT = 2.0                # 假设：每 GPU 小时 2 美元（沿用上面报告的折算价）
THROUGHPUT = 2500.0       # 假设：这 8 块 GPU 合计每秒生成 2500 个词元
HOURS = 24 * 30           # 一个月按 720 小时计

fixed = GPUS * RENT * HOURS                     # 自部署每月固定成本
capacity = THROUGHPUT * 3600 * HOURS            # 满负荷时每月能处理的词元数
break_even = fixed / (API_PRICE_PER_M / 1e6)    # 月用量超过它，自部署才比 API 便宜
print(f"自部署每月固定成本 {fixed:,.0f} 美元，满负荷产能 {capacity / 1e9:.2f} 十亿词元/月")
print(f"盈亏平衡用量 {break_even / 1e9:.2f} 十亿词元/月，即利用率须达到 {break_even / capacity:.1%}")
for monthly in (1e9, 6e9):
    api = monthly / 1e6 * API_PRICE_PER_M
    print(f"  月用量 {monthly / 1e9:.0f} 十亿词元：API {api:,.0f} 美元，自部署 {fixed:,.0f} 美元")
assert fixed == 11520
assert abs(break_even - 5.76e9) < 1
assert break_even < capacity  # 否则这台机器永远回不了本

# 每生成一个词元的前向计算约 2N（只计激活参数）
print(f"每生成一个词元约 {2 * N_ACTIVE:.1e} FLOPs（2N，N 取激活参数）")
assert 2 * N_ACTIVE == 7.4e10
print("全部检查通过。")
