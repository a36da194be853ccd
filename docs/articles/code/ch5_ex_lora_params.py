"""练习：一个 768×768 的投影矩阵，全量微调与秩为 r 的 LoRA 各有多少可训练参数。"""

d = k = 768
full = d * k
for r in (4, 8, 16):
    lora = r * (d + k)
    assert lora < full and r < min(d, k)
    print(f"r = {r:2d}：LoRA {lora:,} 个，全量 {full:,} 个，占 {lora / full:.2%}")

assert 8 * (d + k) == 12_288
