"""Trainers (``toolgym.trainers``): TRL-based SFT and GRPO on toolgym rollouts."""
