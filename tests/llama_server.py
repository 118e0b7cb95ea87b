"""Start llama.cpp's OpenAI-compatible server (xllamacpp) on 127.0.0.1:PORT with the packaged GGUF.

Usage: python tests/llama_server.py PORT   (runs until killed)
"""

import sys
import time

import xllamacpp

from qa.generators.llm import default_model_path


def main() -> None:
    params = xllamacpp.CommonParams()
    params.model.path = default_model_path()
    params.port = int(sys.argv[1])
    params.hostnames = ["127.0.0.1"]
    params.n_ctx = 4096
    params.n_parallel = 1
    params.cpuparams.n_threads = 2
    params.cpuparams_batch.n_threads = 2
    params.verbosity = -1
    server = xllamacpp.Server(params)
    print(f"listening on {server.listening_address}", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
