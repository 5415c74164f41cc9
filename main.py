"""Synthesize the compute layer: `python main.py` or `cdktf synth`."""

from wealist.app import main

if __name__ == "__main__":
    main()
