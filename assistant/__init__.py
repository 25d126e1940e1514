"""讲话问答助手: cited question answering over Chinese government documents (default: the shipped speech)."""
from assistant.cite import Citation
from assistant.core import Answer, Assistant, Conversation, InvalidQuestion, RequestTimeout

__all__ = ["Answer", "Assistant", "Citation", "Conversation", "InvalidQuestion", "RequestTimeout"]
