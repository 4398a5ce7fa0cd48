"""The shared kernel every layer may use: money formatting, email sending, the refusal error
type and the row-locking helper. No models, nothing that knows about shops or prices."""
