"""The Bot: questions in, cited Answers out, alone or in a conversation with follow-ups."""
