"""Meta-gradients are real: the forward-mode tangent of the meta-loss equals its finite-difference
derivative w.r.t. every schedule parameter when the noise is fixed (same seed). In the original the
"gradient" was the seed tangent 1.0 of every parameter (original-system.md §9)."""

import numpy as np
import pytest

from simplex_training.anneal import TSP, AnnealConfig, LearnableSchedule, MetaOptimizer, Rastrigin, meta_loss, run_episode

H = 1e-6


def problem(kind):
    p = TSP.random(12, seed=3) if kind == "tsp" else Rastrigin(3)
    return p, p.initial(np.random.default_rng(11))


def loss_at(schedule, prob, init, cfg, ref, seed=5):
    r = run_episode(schedule, prob.energy, init, prob.neighbor, cfg.steps_per_epoch, np.random.default_rng(seed),
                    patience=cfg.convergence, record_temps=cfg.var_steps)
    return meta_loss(r, schedule, cfg, ref), r


CASES = [("rastrigin", "mean", 0.0), ("rastrigin", "best", 0.01), ("tsp", "mean", 0.01), ("tsp", "final", 0.0)]


@pytest.mark.parametrize("kind,quality,var_weight", CASES)
def test_meta_gradient_equals_finite_differences(kind, quality, var_weight):
    prob, init = problem(kind)
    cfg = AnnealConfig.quick(steps_per_epoch=150, convergence=60, quality=quality, var_weight=var_weight, reg=0.05)
    s = LearnableSchedule(oscillation_amp=0.3, accept_threshold=0.05, initial_temp=0.8, reheat_threshold=40.0)
    ref = LearnableSchedule().u  # s differs from the reference, so the L2 term has a gradient too
    loss, result = loss_at(s, prob, init, cfg, ref)
    grad = loss.gradient
    assert grad.shape == (9,) and np.all(np.isfinite(grad))
    fd = np.empty(9)
    for i in range(9):
        sp, sm = s.copy(), s.copy()
        sp.u[i] += H
        sm.u[i] -= H
        fd[i] = (loss_at(sp, prob, init, cfg, ref)[0].total.val - loss_at(sm, prob, init, cfg, ref)[0].total.val) / (2 * H)
    np.testing.assert_allclose(grad, fd, rtol=1e-4, atol=1e-8)
    assert not np.allclose(grad, grad[0])  # not the original's constant "seed" gradient
    assert result.evaluations == result.steps + 1


def test_a_small_step_against_the_gradient_lowers_the_loss():
    prob, init = problem("rastrigin")
    cfg = AnnealConfig.quick(steps_per_epoch=150, convergence=1000)
    s = LearnableSchedule()
    loss, _ = loss_at(s, prob, init, cfg, s.u)
    step = s.copy()
    step.apply_step(-1e-4 * loss.gradient / np.linalg.norm(loss.gradient))
    assert loss_at(step, prob, init, cfg, s.u)[0].total.val < loss.total.val


def test_update_clips_to_unit_norm_and_moves_against_the_gradient():
    opt = MetaOptimizer(config=AnnealConfig.quick(optimizer="sgd", meta_lr=0.1))
    prob, init = problem("tsp")
    loss = opt.meta_loss(opt.episode(prob.energy, init, prob.neighbor))
    loss.total.der = loss.total.der * 1e6  # force clipping
    u0 = opt.schedule.u.copy()
    step, norm = opt.update(loss)
    assert norm > 1.0
    assert np.linalg.norm(step) == pytest.approx(0.1)
    np.testing.assert_allclose(opt.schedule.u - u0, step)
    assert np.all(np.sign(step[loss.gradient != 0]) == -np.sign(loss.gradient[loss.gradient != 0]))


def test_adam_steps_are_bounded_by_the_learning_rate_and_parameters_stay_valid():
    opt = MetaOptimizer(config=AnnealConfig.quick(meta_lr=0.5))
    prob, init = problem("rastrigin")
    for _ in range(10):
        step, _ = opt.update(opt.meta_loss(opt.episode(prob.energy, init, prob.neighbor)))
        assert np.all(np.abs(step) <= 0.5 + 1e-9)
        assert np.all(opt.schedule.values()[[0, 1, 2, 3, 4, 6, 8]] > 0)


def test_presets_match_the_seed():
    q, d, t = AnnealConfig.quick(), AnnealConfig.default(), AnnealConfig.thorough()
    assert (q.epochs, q.steps_per_epoch, q.meta_lr, q.reg, q.convergence) == (20, 200, 1e-2, 1e-3, 50)
    assert (d.epochs, d.steps_per_epoch, d.meta_lr, d.reg, d.convergence) == (100, 1000, 1e-3, 1e-4, 200)
    assert (t.epochs, t.steps_per_epoch, t.meta_lr, t.reg, t.convergence) == (500, 5000, 1e-4, 1e-5, 500)
    assert AnnealConfig.quick(epochs=3).epochs == 3 and AnnealConfig.quick(epochs=3).meta_lr == 1e-2
    with pytest.raises(ValueError):
        MetaOptimizer(config=AnnealConfig(optimizer="lbfgs"))
