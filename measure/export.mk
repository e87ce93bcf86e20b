# measure/: reference-value exports (RVPS, CoRIM, in-toto, JSON), CBOR writer, TDX RTMR prediction.
