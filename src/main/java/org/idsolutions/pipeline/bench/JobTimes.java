package org.idsolutions.pipeline.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;

/**
 * Counts the Spark jobs and tasks of each pipeline stage (by job group) and keeps the slowest jobs
 * with their call sites, so a benchmark shows where a stage's time goes.
 */
public final class JobTimes extends SparkListener {
  /** One finished Spark job. */
  public record Job(String group, int id, double seconds, int tasks, String callSite) {}

  private final Map<Integer, long[]> started = new ConcurrentHashMap<>();
  private final Map<Integer, String[]> labels = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> stageToJob = new ConcurrentHashMap<>();
  private final Map<Integer, int[]> tasks = new ConcurrentHashMap<>();
  private final List<Job> jobs = java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<Job> drained = new ArrayList<>();

  @Override
  public void onJobStart(SparkListenerJobStart start) {
    java.util.Properties p = start.properties();
    String group = p == null ? null : p.getProperty("spark.jobGroup.id");
    String site = p == null ? null : p.getProperty("callSite.short");
    if ((site == null || site.isEmpty()) && !start.stageInfos().isEmpty()) {
      site = start.stageInfos().last().name();
    }
    started.put(start.jobId(), new long[] {start.time()});
    labels.put(start.jobId(), new String[] {group == null ? "-" : group, site == null ? "" : site});
    tasks.put(start.jobId(), new int[1]);
    scala.collection.Iterator<Object> ids = start.stageIds().iterator();
    while (ids.hasNext()) {
      stageToJob.put((Integer) ids.next(), start.jobId());
    }
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted completed) {
    Integer job = stageToJob.get(completed.stageInfo().stageId());
    if (job != null && tasks.containsKey(job)) {
      tasks.get(job)[0] += completed.stageInfo().numTasks();
    }
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd end) {
    long[] t = started.remove(end.jobId());
    String[] l = labels.remove(end.jobId());
    int[] n = tasks.remove(end.jobId());
    if (t != null && l != null) {
      jobs.add(
          new Job(l[0], end.jobId(), (end.time() - t[0]) / 1000.0, n == null ? 0 : n[0], l[1]));
    }
  }

  /** The jobs of one stage finished so far, and forgets them. */
  public List<Job> drain(String group) {
    List<Job> out = new ArrayList<>();
    synchronized (jobs) {
      jobs.stream().filter(j -> j.group().equals(group)).forEach(drained::add);
      jobs.removeIf(
          j -> {
            if (j.group().equals(group)) {
              out.add(j);
              return true;
            }
            return false;
          });
    }
    return out;
  }

  /** Every job counted so far, in the order stages finished. */
  public List<Job> all() {
    synchronized (jobs) {
      return List.copyOf(drained);
    }
  }

  /** The slowest {@code n} jobs. */
  public static List<Job> slowest(List<Job> jobs, int n) {
    return jobs.stream()
        .sorted(Comparator.comparingDouble(Job::seconds).reversed())
        .limit(n)
        .toList();
  }
}
