"""QObjects with signals and async slots: the only place the pipeline meets Qt."""
