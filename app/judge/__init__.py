"""The judge: checks from the prompt, generated inputs, behaviour clustering, verdict. Never imports Qt."""

from app.judge.engine import CandidateReport, JudgeReport, JudgeSettings, judge
from app.judge.pool import JudgeCandidate, JudgePool, load_pool

__all__ = [
    "CandidateReport",
    "JudgeCandidate",
    "JudgePool",
    "JudgeReport",
    "JudgeSettings",
    "judge",
    "load_pool",
]
