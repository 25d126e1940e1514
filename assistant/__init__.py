"""讲话问答助手: cited question answering over the 2021-04-16 Ankang eco-environment speech."""
from assistant.cite import Citation
from assistant.core import Answer, Assistant, InvalidQuestion

__all__ = ["Answer", "Assistant", "Citation", "InvalidQuestion"]
