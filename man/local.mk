# Manual pages, written in POD and converted with pod2man at build time.
man1_MANS += man/igvmkit.1
man5_MANS += man/igvmkit-descriptor.5
man3_MANS += man/libigvmkit.3
EXTRA_DIST += man/igvmkit.1.pod man/igvmkit-descriptor.5.pod man/libigvmkit.3.pod
CLEANFILES += $(man1_MANS) $(man3_MANS) $(man5_MANS)

POD2MAN_FLAGS = --center="igvmkit manual" --release="igvmkit $(VERSION)" --date="igvmkit $(VERSION)"

man/igvmkit.1: man/igvmkit.1.pod
	$(AM_V_GEN)$(MKDIR_P) man && $(POD2MAN) $(POD2MAN_FLAGS) --section=1 --name=IGVMKIT $< $@

man/igvmkit-descriptor.5: man/igvmkit-descriptor.5.pod
	$(AM_V_GEN)$(MKDIR_P) man && $(POD2MAN) $(POD2MAN_FLAGS) --section=5 --name=IGVMKIT-DESCRIPTOR $< $@

man/libigvmkit.3: man/libigvmkit.3.pod
	$(AM_V_GEN)$(MKDIR_P) man && $(POD2MAN) $(POD2MAN_FLAGS) --section=3 --name=LIBIGVMKIT $< $@
