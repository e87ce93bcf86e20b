# measure/: ID block signing, exports, RTMR prediction, report verification, lint.
