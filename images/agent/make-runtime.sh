#!/bin/sh
# The agent's Java runtime and native library, as the agent image makes them:
#
#   images/agent/make-runtime.sh JAR DIR
#
# DIR/jre: a runtime linked (jlink) from the JDK's java.base and jdk.unsupported, all the agent
# uses (its logging, metrics and HTTP are its own), and jdk.jfr, so that a running agent can still
# be profiled (jcmd PID JFR.start): 3 of the JDK's 70 modules. The module image and the class
# archive shrink with them, for the same 2,000 classes at idle: 3 MiB less resident (README,
# "Memory").
# DIR/lib: Netty's epoll library, out of JAR. An agent run with -Djava.library.path=DIR/lib loads it
# from there; otherwise Netty copies it out of the jar into java.io.tmpdir at every start, which
# needs a writable /tmp and loads SecureRandom and the file classes to do so.
# The JDK is $JAVA_HOME's, or the one on PATH.
set -eu
[ $# -eq 2 ] || { sed -n 2,14p "$0"; exit 2; }
jar=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") dir=$2
bin="${JAVA_HOME:+$JAVA_HOME/bin/}"
rm -rf "$dir/jre" "$dir/lib"
"${bin}jlink" --add-modules java.base,jdk.jfr,jdk.unsupported --strip-debug --no-header-files \
  --no-man-pages --output "$dir/jre"
mkdir -p "$dir/lib"
(cd "$dir/lib" && "${bin}jar" xf "$jar" META-INF/native && mv META-INF/native/* . && rm -r META-INF)
