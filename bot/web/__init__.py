"""The Gradio chat page and its rendering of answers and documents."""
