// The declaration in include/CFuzzDriver.h is all; compiler-rt's libFuzzer defines it.
