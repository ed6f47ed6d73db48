"""The judge: checks from the prompt, generated inputs, behaviour clustering, verdict. Never imports Qt."""
