# Manual pages, written in POD and converted with pod2man.
