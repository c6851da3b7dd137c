#!/usr/bin/env bash
# lib.sh — helpers shared by the Bourse operations scripts. Sourced, never run:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# Provides:
#   bourse_log MSG...        progress message on stderr, prefixed with the script's name
#   bourse_die [CODE] MSG... message on stderr, exit CODE (default $BOURSE_FAIL_CODE, 1)
#   bourse_usage             the calling script's header comment on stderr
#   bourse_java              sets BOURSE_JAVA: $JAVA_HOME/bin/java (else java on PATH), JDK 21 or newer
#   bourse_jar               sets BOURSE_JAR_PATH: $BOURSE_JAR, else <repo>/engine/server/target/exchange-engine-server.jar
#   bourse_pg_env            turns DB_URL (+ DB_USER, DB_PASSWORD, DB_SSL_MODE) into libpq's PG* variables
#   bourse_pg_describe       "database D on host:port as user U (sslmode M)", after bourse_pg_env
#   bourse_timestamp         UTC timestamp for file names, e.g. 20250101T120000Z
#
# The JDBC URL is read the way the PostgreSQL JDBC driver reads it, so the scripts reach the same
# database as the engine: parameters in the URL (user, password, sslmode) win over DB_USER /
# DB_PASSWORD / DB_SSL_MODE, the host defaults to localhost and the port to 5432, and an empty
# database name means the user's name.

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    echo "lib.sh is sourced by the other scripts in ops/scripts, not run" >&2
    exit 2
fi

BOURSE_SCRIPT="$(basename "$0")"
BOURSE_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BOURSE_REPO_ROOT="$(cd "$BOURSE_SCRIPTS_DIR/../.." && pwd)"
BOURSE_FAIL_CODE=1 # a script may raise it after sourcing (restore-db.sh: 3)
BOURSE_MIN_JAVA=21

bourse_log() {
    printf '%s: %s\n' "$BOURSE_SCRIPT" "$*" >&2
}

bourse_die() {
    local code="$BOURSE_FAIL_CODE"
    if [[ $# -gt 1 && "$1" =~ ^[0-9]+$ ]]; then
        code="$1"
        shift
    fi
    printf '%s: error: %s\n' "$BOURSE_SCRIPT" "$*" >&2
    exit "$code"
}

# Prints the script's header comment (its usage) on stderr.
bourse_usage() {
    awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0" >&2
}

bourse_timestamp() {
    date -u +%Y%m%dT%H%M%SZ
}

# Sets BOURSE_JAVA to a java of JDK 21 or newer.
bourse_java() {
    local java
    if [[ -n "${JAVA_HOME:-}" ]]; then
        java="$JAVA_HOME/bin/java"
        [[ -x "$java" ]] || bourse_die "JAVA_HOME=$JAVA_HOME has no executable bin/java"
    else
        java="$(command -v java || true)"
        [[ -n "$java" ]] || bourse_die "no java found: set JAVA_HOME to a JDK $BOURSE_MIN_JAVA or newer"
    fi
    local version
    version="$("$java" -XshowSettings:properties -version 2>&1 \
        | awk -F'= ' '/java.specification.version/ {print $2; exit}')"
    version="${version%%.*}"
    if [[ ! "$version" =~ ^[0-9]+$ ]] || (( version < BOURSE_MIN_JAVA )); then
        bourse_die "$java is Java ${version:-unknown}; the engine needs $BOURSE_MIN_JAVA or newer (set JAVA_HOME)"
    fi
    # shellcheck disable=SC2034 # read by the sourcing script
    BOURSE_JAVA="$java"
}

# Sets BOURSE_JAR_PATH to the engine jar.
bourse_jar() {
    local jar="${BOURSE_JAR:-$BOURSE_REPO_ROOT/engine/server/target/exchange-engine-server.jar}"
    if [[ ! -f "$jar" || ! -r "$jar" ]]; then
        bourse_die "engine jar not found: $jar (build it with ./mvnw -B -q -pl engine/server -am install -DskipTests, or set BOURSE_JAR)"
    fi
    # shellcheck disable=SC2034 # read by the sourcing script
    BOURSE_JAR_PATH="$jar"
}

# URL-decodes $2 (as java.net.URLDecoder does: '+' is a space) into the variable named $1.
bourse_url_decode() {
    local s="${2//+/ }"
    s="${s//\\/\\\\}"
    printf -v "$1" '%b' "${s//%/\\x}"
}

# $1 with any password=... parameter masked, for messages.
bourse_mask_url() {
    printf '%s\n' "$1" | sed -E 's/([Pp][Aa][Ss][Ss][Ww][Oo][Rr][Dd]=)[^&;]*/\1***/g'
}

# What to do instead of pg_dump / pg_restore when DB_URL is an H2 database.
bourse_h2_hint() {
    local url path
    url="$(bourse_mask_url "$1")"
    path="${1#jdbc:h2:}"
    path="${path%%;*}"
    case "$path" in
        mem:*)
            echo "DB_URL is an in-memory H2 database ($url): nothing on disk to back up or restore" ;;
        tcp:* | ssl:*)
            echo "DB_URL is an H2 server database ($url): pg_dump/pg_restore cannot handle it; back it up on the H2 server" ;;
        *)
            path="${path#file:}"
            echo "DB_URL is an embedded H2 database ($url): pg_dump/pg_restore cannot handle it." \
                "Stop the engine and copy the directory $(dirname "$path") (the files $(basename "$path").*);" \
                "to restore, stop the engine and put the copy back in its place" ;;
    esac
}

# Exports PGHOST, PGPORT, PGDATABASE, PGUSER and, when known, PGPASSWORD, PGSSLMODE, PGSSLROOTCERT,
# PGSSLCERT, PGSSLKEY, PGCONNECT_TIMEOUT from DB_URL. Dies unless DB_URL is a PostgreSQL JDBC URL.
bourse_pg_env() {
    local url="${DB_URL:-}"
    if [[ -z "$url" ]]; then
        bourse_die "DB_URL is not set (expected jdbc:postgresql://host:5432/dbname). Without it the engine uses" \
            "its dev default, the embedded H2 database under ./data: to back that up, stop the engine and copy ./data"
    fi
    case "$url" in
        jdbc:postgresql:*) ;;
        jdbc:h2:*) bourse_die "$(bourse_h2_hint "$url")" ;;
        *) bourse_die "DB_URL is not a PostgreSQL JDBC URL (expected jdbc:postgresql://host:5432/dbname):" \
            "$(bourse_mask_url "$url")" ;;
    esac

    local rest="${url#jdbc:postgresql:}" query="" hostspec="" db
    if [[ "$rest" == *\?* ]]; then
        query="${rest#*\?}"
        rest="${rest%%\?*}"
    fi
    if [[ "$rest" == //* ]]; then
        rest="${rest#//}"
        hostspec="${rest%%/*}"
        if [[ "$rest" == */* ]]; then db="${rest#*/}"; else db=""; fi
    else
        db="${rest#/}"
    fi
    bourse_url_decode db "$db"

    # host[:port][,host[:port]...]; IPv6 addresses in brackets
    local hosts="" ports="" spec h p
    local -a specs=()
    if [[ -n "$hostspec" ]]; then
        IFS=',' read -r -a specs <<<"$hostspec"
    else
        specs=("")
    fi
    for spec in "${specs[@]}"; do
        if [[ "$spec" == \[* ]]; then
            h="${spec%%]*}"
            h="${h#[}"
            p="${spec#*]}"
            p="${p#:}"
        elif [[ "$spec" == *:* ]]; then
            h="${spec%:*}"
            p="${spec##*:}"
        else
            h="$spec"
            p=""
        fi
        [[ -n "$h" ]] || h=localhost
        [[ -n "$p" ]] || p=5432
        [[ "$p" =~ ^[0-9]+$ ]] || bourse_die "bad port '$p' in DB_URL"
        hosts="${hosts:+$hosts,}$h"
        ports="${ports:+$ports,}$p"
    done

    local user="${DB_USER:-}" password="${DB_PASSWORD:-}" sslmode="" ssl="" pair key value
    local rootcert="" cert="" sslkey="" timeout=""
    local -a pairs=()
    if [[ -n "$query" ]]; then
        IFS='&' read -r -a pairs <<<"$query"
    fi
    for pair in "${pairs[@]}"; do
        [[ -n "$pair" ]] || continue
        key="${pair%%=*}"
        if [[ "$pair" == *=* ]]; then value="${pair#*=}"; else value=""; fi
        bourse_url_decode value "$value"
        case "$key" in
            user) user="$value" ;;
            password) password="$value" ;;
            sslmode) sslmode="$value" ;;
            ssl) ssl="$value" ;;
            sslrootcert) rootcert="$value" ;;
            sslcert) cert="$value" ;;
            sslkey) sslkey="$value" ;;
            connectTimeout) timeout="$value" ;;
        esac
    done
    if [[ -z "$sslmode" && "$ssl" == "true" ]]; then
        sslmode=verify-full # the driver's meaning of ssl=true without sslmode
    fi
    [[ -n "$sslmode" ]] || sslmode="${DB_SSL_MODE:-}"
    [[ -n "$user" ]] || user=postgres # the engine's default DB_USER for PostgreSQL
    [[ -n "$db" ]] || db="$user"

    export PGHOST="$hosts" PGPORT="$ports" PGDATABASE="$db" PGUSER="$user"
    export PGAPPNAME="bourse-${BOURSE_SCRIPT%.sh}"
    if [[ -n "$password" ]]; then export PGPASSWORD="$password"; fi
    if [[ -n "$sslmode" ]]; then export PGSSLMODE="$sslmode"; fi
    if [[ -n "$rootcert" ]]; then export PGSSLROOTCERT="$rootcert"; fi
    if [[ -n "$cert" ]]; then export PGSSLCERT="$cert"; fi
    if [[ -n "$sslkey" ]]; then export PGSSLKEY="$sslkey"; fi
    if [[ -n "$timeout" && "$timeout" != 0 ]]; then export PGCONNECT_TIMEOUT="$timeout"; fi
    return 0
}

bourse_pg_describe() {
    echo "database $PGDATABASE on $PGHOST:$PGPORT as $PGUSER (sslmode ${PGSSLMODE:-prefer})"
}
