# igvm/: the IGVM format layer (model, reader, writer) and shared helpers.
igvmkitinclude_HEADERS += igvm/igvmkit/error.h igvm/igvmkit/igvm.h
libigvmkit_core_la_SOURCES += \
	igvm/le.h \
	igvm/util.h igvm/util.c \
	igvm/json.h igvm/json.c \
	igvm/error.c \
	igvm/names.c \
	igvm/model-private.h igvm/model.c \
	igvm/codec.h igvm/codec.c \
	igvm/check.h igvm/check.c \
	igvm/reader.c \
	igvm/writer.c
