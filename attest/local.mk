# attest/: attestation evidence (SEV-SNP reports, TDX quotes) decoded from
# untrusted bytes and checked against the values a file predicts.  Depends on
# igvm/, measure/ and sign/.
igvmkitinclude_HEADERS += attest/igvmkit/attest.h
libigvmkit_core_la_SOURCES += \
	attest/report-snp.c \
	attest/tdx-private.h \
	attest/tdx-quote.c \
	attest/tdx-auth.c \
	attest/tdx-collateral.c attest/tdx-signed-json.c \
	attest/intel-root.c \
	attest/eventlog.c \
	attest/eventlog-describe.c \
	attest/tdx-compare.c \
	attest/report-compare.c \
	attest/verify-table.c \
	attest/rfc3339.c \
	attest/snp-tcb.c \
	attest/amd-certs.c \
	attest/snp-chain.c

check_PROGRAMS += tests/unit/test-report
TESTS += tests/unit/test-report
tests_unit_test_report_SOURCES = tests/unit/test-report.c
tests_unit_test_report_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_report_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

check_PROGRAMS += tests/unit/test-snp-trust
TESTS += tests/unit/test-snp-trust
tests_unit_test_snp_trust_SOURCES = tests/unit/test-snp-trust.c
tests_unit_test_snp_trust_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_snp_trust_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

TESTS += tests/cli/verify.sh tests/cli/verify-rtmr.sh tests/cli/verify-snp-chain.sh \
	tests/cli/verify-tdx.sh tests/cli/eventlog.sh
EXTRA_DIST += docs/snp-trust.md tests/cli/verify.sh tests/cli/verify-rtmr.sh tests/cli/verify-snp-chain.sh \
	tests/cli/verify-tdx.sh tests/cli/eventlog.sh \
	tests/data/evidence/snp/README.md \
	tests/data/evidence/snp/milan-v2-report.bin tests/data/evidence/snp/milan-v2-vcek.der \
	tests/data/evidence/snp/milan-vlek-v3-report.bin tests/data/evidence/snp/milan-vlek.der \
	tests/data/evidence/snp/turin-v5-report.bin tests/data/evidence/snp/turin-vcek.pem \
	tests/data/evidence/snp/milan-debug-v2-report.bin tests/data/evidence/snp/milan-debug-vcek.der \
	tests/data/evidence/snp/other-chip-vcek.der \
	tests/data/evidence/snp/amd-roots/milan-ask-ark-asvk.pem \
	tests/data/evidence/snp/amd-roots/genoa-ask-ark-asvk.pem \
	tests/data/evidence/snp/amd-roots/turin-ask-ark-asvk.pem

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-evidence
tests_fuzz_fuzz_evidence_SOURCES = tests/fuzz/fuzz-evidence.c
tests_fuzz_fuzz_evidence_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_evidence_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_evidence_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)
noinst_PROGRAMS += tests/fuzz/fuzz-cert
tests_fuzz_fuzz_cert_SOURCES = tests/fuzz/fuzz-cert.c
tests_fuzz_fuzz_cert_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_cert_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_cert_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)
endif
EXTRA_DIST += tests/fuzz/fuzz-evidence.c \
	tests/fuzz/corpus/evidence/snp-report-v2.bin tests/fuzz/corpus/evidence/tdx-quote-v4.bin \
	tests/fuzz/corpus/evidence/tdx-quote-v5.bin \
	tests/fuzz/fuzz-cert.c tests/fuzz/corpus/cert/milan-v2-vcek.der \
	tests/fuzz/corpus/cert/turin-vcek.pem tests/fuzz/corpus/cert/other-chip-vcek.der

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-collateral
tests_fuzz_fuzz_collateral_SOURCES = tests/fuzz/fuzz-collateral.c
tests_fuzz_fuzz_collateral_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_collateral_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_collateral_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)
endif
EXTRA_DIST += tests/fuzz/fuzz-collateral.c tests/fuzz/corpus/collateral/qe-identity.json \
	tests/fuzz/corpus/collateral/tcb-info-v5.json tests/fuzz/corpus/collateral/crossed-brackets.json

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz-eventlog
tests_fuzz_fuzz_eventlog_SOURCES = tests/fuzz/fuzz-eventlog.c
tests_fuzz_fuzz_eventlog_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_eventlog_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_eventlog_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)
endif
EXTRA_DIST += tests/fuzz/fuzz-eventlog.c tests/fuzz/corpus/eventlog/gce-cos113-log.bin \
	tests/fuzz/corpus/eventlog/tagged-events.bin

check_PROGRAMS += tests/unit/test-tdx-quote
TESTS += tests/unit/test-tdx-quote
tests_unit_test_tdx_quote_SOURCES = tests/unit/test-tdx-quote.c
tests_unit_test_tdx_quote_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
tests_unit_test_tdx_quote_LDADD = libigvmkit-core.la $(IGK_DEPS_LIBS)

# Real TDX evidence (provenance: tests/data/evidence/tdx/README.md).
EXTRA_DIST += tests/data/evidence/tdx/README.md \
	tests/data/evidence/tdx/quote-v4-debug-td.dat \
	tests/data/evidence/tdx/quote-v4-trailing-zeros.dat \
	tests/data/evidence/tdx/quote-v5.dat \
	tests/data/evidence/tdx/gce-cos113-quote.dat \
	tests/data/evidence/tdx/gce-cos113-ccel-table.dat \
	tests/data/evidence/tdx/gce-cos113-ccel-log.dat \
	tests/data/evidence/tdx/intel-sgx-root-ca.pem \
	tests/data/evidence/tdx/collateral/pckcrl.der \
	tests/data/evidence/tdx/collateral/tcbInfo.json \
	tests/data/evidence/tdx/collateral/enclaveIdentity.json \
	tests/data/evidence/tdx/collateral-v5/tcbInfo.json
