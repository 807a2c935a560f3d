"""A trained recommender kept between sessions: pickled in the app data folder, one file per database
and annotator (``models/classifier-<digest>.pickle`` beside the settings file).

Only this app writes these files, into the user's own (private) data folder. A file that cannot be read
back (another scikit-learn version, a truncated write) is ignored with a reason, and the annotator
trains again; nothing else depends on it.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass
from pathlib import Path

from annotator.domain.suggestions.model import Recommender
from annotator.services.atomic import atomic_write


@dataclass
class SavedModel:
    recommender: Recommender
    spans: int  # how many spans it learnt from (the retrain policy counts from there)
    from_others: bool  # learnt from other annotators' spans too


def model_path(folder: Path, kind: str, database: str, annotator: str) -> Path:
    digest = hashlib.sha256(f"{database}\n{annotator}".encode()).hexdigest()[:16]
    return folder / "models" / f"{kind}-{digest}.pickle"


def save_model(path: Path, model: SavedModel) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with atomic_write(path) as fh:
        pickle.dump(model, fh, protocol=pickle.HIGHEST_PROTOCOL)


def load_model(path: Path) -> tuple[SavedModel | None, str | None]:
    """(the model, None), (None, None) when there is none, or (None, why it could not be read)."""
    if not path.exists():
        return None, None
    try:
        with path.open("rb") as fh:
            model = pickle.load(fh)
    except Exception as exc:  # any unpickling failure: train again
        return None, f"the saved classifier {path} could not be read ({exc!r:.120}); train it again"
    if not isinstance(model, SavedModel):
        return None, f"the saved classifier {path} is not a model of this app; train it again"
    return model, None
