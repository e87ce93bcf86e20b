# measure/: launch measurements from an IGVM model (depends on igvm/ only).
igvmkitinclude_HEADERS += measure/igvmkit/measure.h
