"""A training loop with a learned learning rate (docs/schedules.md); prints fixed vs learned loss."""

from simplex_training.engine.optim import AdamW
from simplex_training.schedules import HypergradientController, LearnableLR
from simplex_training.schedules.problems import SoftmaxRegression


def run(learn: bool, steps: int = 300, lr: float = 1e-3) -> float:
    problem = SoftmaxRegression(seed=0)                  # any model with .parameters() and a loss
    opt = AdamW(problem.parameters(), lr=lr, weight_decay=0.0)
    ctrl = HypergradientController(opt, LearnableLR(initial_lr=lr, warmup_steps=1.0), meta_every=5)
    for step in range(steps):
        opt.zero_grad()
        loss = problem.loss(problem.batch(step))
        loss.backward()
        if learn:
            ctrl.record(step, loss.item())               # 1. the loss of this step
            ctrl.before_step(step)                       # 2. h_{t-1} from the new grads; sets opt.lr
        opt.step()
        if learn:
            ctrl.after_step()                            # 3. the update direction u_t
    return problem.full_loss()


if __name__ == "__main__":
    print(f"fixed lr 1e-3: {run(False):.4f}   learned: {run(True):.4f}")
