"""Cordon — the Streamlit page: widgets, state and layout only."""

import streamlit as st

st.set_page_config(page_title="Cordon", layout="wide")
st.title("Cordon")
st.caption("Sieges and humanitarian access over time.")
