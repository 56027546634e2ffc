"""Parts of the Streamlit page too large for app.py (UI code only; logic lives in layers/)."""
