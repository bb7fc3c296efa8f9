/* kafka-mockd: librdkafka's mock cluster with a line protocol on stdin, for fault tests.
 * Prints "BOOTSTRAP <host:port,...>" then one "OK" / "ERR <text>" line per command:
 *   topic <name> <partitions> [replication] | leader <topic> <partition> <broker_id>
 *   down <broker_id> | up <broker_id> | rtt <broker_id> <ms> | errors <api_key> <err> [err ...] | quit
 * EOF on stdin exits too, so a dead parent never leaves it behind.
 * Built by test/support/kafka-mockd.ts: cc -O2 -o kafka-mockd mockd.c -lrdkafka (Debian librdkafka-dev). */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reply(rd_kafka_resp_err_t err) {
        if (err) printf("ERR %s\n", rd_kafka_err2str(err));
        else printf("OK\n");
        fflush(stdout);
}

int main(int argc, char **argv) {
        int brokers = argc > 1 ? atoi(argv[1]) : 1;
        char errstr[512], line[1024];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof(errstr));
        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) { fprintf(stderr, "rd_kafka_new: %s\n", errstr); return 1; }
        rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, brokers);
        if (!mc) { fprintf(stderr, "mock cluster failed\n"); return 1; }
        signal(SIGPIPE, SIG_IGN);
        printf("BOOTSTRAP %s\n", rd_kafka_mock_cluster_bootstraps(mc));
        fflush(stdout);
        while (fgets(line, sizeof(line), stdin)) {
                char a[256] = "", b[256] = ""; long x = 0, y = 0, z = 0;
                if (sscanf(line, "topic %255s %ld %ld", a, &x, &y) >= 2) {
                        reply(rd_kafka_mock_topic_create(mc, a, (int)x, y > 0 ? (int)y : (brokers < 3 ? brokers : 3)));
                } else if (sscanf(line, "leader %255s %ld %ld", a, &x, &y) == 3) {
                        reply(rd_kafka_mock_partition_set_leader(mc, a, (int32_t)x, (int32_t)y));
                } else if (sscanf(line, "down %ld", &x) == 1) {
                        reply(rd_kafka_mock_broker_set_down(mc, (int32_t)x));
                } else if (sscanf(line, "up %ld", &x) == 1) {
                        reply(rd_kafka_mock_broker_set_up(mc, (int32_t)x));
                } else if (sscanf(line, "rtt %ld %ld", &x, &y) == 2) {
                        reply(rd_kafka_mock_broker_set_rtt(mc, (int32_t)x, (int)y));
                } else if (sscanf(line, "errors %ld %255[-0-9 ]", &x, b) == 2) {
                        rd_kafka_resp_err_t errs[64]; size_t n = 0; char *p = b, *end;
                        while (n < 64 && (z = strtol(p, &end, 10), end != p)) { errs[n++] = (rd_kafka_resp_err_t)z; p = end; }
                        rd_kafka_mock_push_request_errors_array(mc, (int16_t)x, n, errs);
                        reply(0);
                } else if (!strncmp(line, "quit", 4)) {
                        break;
                } else {
                        printf("ERR unknown command\n"); fflush(stdout);
                }
        }
        rd_kafka_mock_cluster_destroy(mc);
        rd_kafka_destroy(rk);
        return 0;
}
