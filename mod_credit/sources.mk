# mod_credit/sources.mk: the one list of the module's sources and the one
# set of compiler flags, included by Makefile (unit tests) and Makefile.apxs
# (the module, credit-dump); tests/fuzz/run.sh asks `make print-SRC_ALL`
# for the paths of the files its targets link. Paths are relative to the
# top of the checkout. docs/ARCHITECTURE.md says what each folder is for and
# what may include what (scripts/check-layers.sh checks it).
#
# A file is in the build because it is in its layer's folder: add a .c to
# the folder and the module, credit-dump and the unit tests (UNIT_SRC) see
# it; nothing else lists sources.

LAYERS     := model view store page httpd
LAYER_DIRS := $(addprefix mod_credit/,$(LAYERS))

MODEL_SRC := $(sort $(wildcard mod_credit/model/*.c)) # pure rules and parsing
VIEW_SRC  := $(sort $(wildcard mod_credit/view/*.c))  # HDF/ClearSilver, JSON, CSV, XLSX, charts
STORE_SRC := $(sort $(wildcard mod_credit/store/*.c)) # MariaDB, its settings, caches, gates
PAGE_SRC  := $(sort $(wildcard mod_credit/page/*.c))  # the public pages and the staff controllers
HTTPD_SRC := $(sort $(wildcard mod_credit/httpd/*.c)) # the httpd glue (the only httpd headers)
TOOL_SRC  := mod_credit/tool/credit-dump.c            # the daily dumps command

# Everything without an httpd header: what credit-dump links, and the module
# with the glue.
CORE_SRC   := $(MODEL_SRC) $(VIEW_SRC) $(STORE_SRC) $(PAGE_SRC)
MODULE_SRC := $(HTTPD_SRC) $(CORE_SRC)
SRC_ALL    := $(MODULE_SRC) $(TOOL_SRC)
HDRS       := $(wildcard $(addsuffix /*.h,$(LAYER_DIRS)))

# The unit tests link every file without an httpd header: the pages run
# there against the in-memory store (store/credit_store_memory.c), the
# MariaDB store's files are linked but never opened.
UNIT_SRC := $(CORE_SRC)

# One set of flags for the module, credit-dump, the unit tests and the fuzz
# targets. Headers are included by name ("credit_model.h"): each layer's
# folder is on the include path, and scripts/check-layers.sh keeps the
# includes going down the layers.
CC_STD   := -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE
WARN     := -Wall -Wextra -Werror -Wno-unused-parameter
SRC_INCS := $(addprefix -I,$(LAYER_DIRS))
EXT_INCS := -I/usr/include/ClearSilver -I/usr/include/mariadb -I/usr/include/json-c
INCS     := $(EXT_INCS) $(SRC_INCS)

# Where every build output goes (never next to the sources).
BUILD_DIR := var/build
