"""What the interleaved benchmarks (bench/clinic_rules, bench/pools,
bench/waitlist) share about their rounds' ratios."""
import statistics


def quartiles(xs):
    """The spread of the rounds' ratios, as text: on a shared virtual machine
    one round can run at half speed, which the median of few rounds does not
    hide."""
    if len(xs) < 4:
        return f"{min(xs):.2f}–{max(xs):.2f} (range)"
    q = statistics.quantiles(xs, n=4)
    return f"{q[0]:.2f}–{q[2]:.2f}"
