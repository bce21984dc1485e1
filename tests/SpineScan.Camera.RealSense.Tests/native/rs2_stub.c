/*
 * A stand-in for librealsense2 with the same C ABI for the rs2_* functions SpineScan binds.
 * It serves synthetic depth frames (a known ramp, rows padded beyond width x 2 bytes), reports
 * configurable intrinsics and depth scale, raises rs2_error on request, and counts every live
 * handle and error so tests can assert that nothing leaks. Test-only: built by the test project.
 *
 * Handles are never returned to the allocator (only their pixel buffers are): a deleted handle is
 * marked dead, so a use after delete or a double delete is detected and counted as misuse instead
 * of corrupting memory.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))

/* Values from librealsense2/h/rs_sensor.h and rs_types.h. */
enum { RS2_STREAM_ANY = 0, RS2_STREAM_DEPTH = 1 };
enum { RS2_FORMAT_ANY = 0, RS2_FORMAT_Z16 = 1 };
enum { RS2_CAMERA_INFO_NAME = 0, RS2_CAMERA_INFO_SERIAL_NUMBER = 1 };
enum { RS2_EXTENSION_DEPTH_SENSOR = 7 };

typedef struct rs2_intrinsics {
    int width;
    int height;
    float ppx;
    float ppy;
    float fx;
    float fy;
    int model;
    float coeffs[5];
} rs2_intrinsics;

typedef struct rs2_error {
    uint32_t magic;
    char function[96];
    char message[256];
} rs2_error;

enum kind {
    K_CONTEXT, K_DEVICE_LIST, K_DEVICE, K_PIPELINE, K_CONFIG, K_PROFILE,
    K_FRAME, K_SENSOR_LIST, K_SENSOR, K_ERROR, K_COUNT
};

static const char* const kind_names[K_COUNT] = {
    "context", "device_list", "device", "pipeline", "config", "pipeline_profile",
    "frame", "sensor_list", "sensor", "error"
};

#define LIVE_MAGIC 0x52533253u /* "RS2S" */
#define DEAD_MAGIC 0xDEADDEADu
#define ERROR_MAGIC 0x45525253u

typedef struct stream_profile {
    uint32_t magic;
    int stream;
    int format;
    int index;
    int unique_id;
    int framerate;
} stream_profile;

typedef struct object {
    uint32_t magic;
    int kind;
    int index;              /* device: device index (-1 = playback); sensor: sensor index */
    int refs;               /* frames only */
    int started;            /* pipeline only */
    struct object* child;   /* composite frame: its depth frame */
    unsigned char* data;    /* depth frame pixels */
    int width, height, stride;
    double timestamp;
    char serial[64];        /* config: serial asked for; */
    char file[512];         /* config: playback file */
    int has_stream;         /* config: enable_stream called */
    int stream_args[6];     /* config: stream, index, width, height, format, fps */
} object;

/* ---- configuration ---- */
static int device_count;
static char device_name[128];
static rs2_intrinsics intrinsics;
static float depth_scale;
static int frame_width, frame_height, frame_stride;
static double first_timestamp, frame_interval;
static int frame_number;
static char fail_function[96];
static int fail_is_timeout;

/* ---- observations ---- */
static int live[K_COUNT];
static int misuse;
static char last_misuse[256];
static char last_file[512];
static char last_serial[64];
static int last_stream_args[6];
static int last_api_version;

#define MAX_CALLS 64
static struct { char name[64]; int count; } calls[MAX_CALLS];

static stream_profile depth_profile = { LIVE_MAGIC, RS2_STREAM_DEPTH, RS2_FORMAT_Z16, 0, 1, 30 };

static void count_call(const char* name)
{
    for (int i = 0; i < MAX_CALLS; i++) {
        if (calls[i].name[0] == '\0') {
            snprintf(calls[i].name, sizeof calls[i].name, "%s", name);
            calls[i].count = 1;
            return;
        }
        if (strcmp(calls[i].name, name) == 0) {
            calls[i].count++;
            return;
        }
    }
}

static void note_misuse(const char* format, ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(last_misuse, sizeof last_misuse, format, args);
    va_end(args);
    misuse++;
}

static void raise_error(rs2_error** error, const char* function, const char* format, ...)
{
    if (error == NULL) {
        return;
    }

    rs2_error* e = calloc(1, sizeof *e);
    e->magic = ERROR_MAGIC;
    snprintf(e->function, sizeof e->function, "%s", function);
    va_list args;
    va_start(args, format);
    vsnprintf(e->message, sizeof e->message, format, args);
    va_end(args);
    live[K_ERROR]++;
    *error = e;
}

/* Every rs2_* entry point starts here: counts the call, clears *error, applies stub_fail_next. */
static int enter(const char* function, rs2_error** error)
{
    count_call(function);
    if (error != NULL) {
        *error = NULL;
    }

    if (fail_function[0] != '\0' && strcmp(fail_function, function) == 0) {
        fail_function[0] = '\0';
        if (fail_is_timeout) {
            fail_is_timeout = 0;
            raise_error(error, function, "Frame didn't arrive within %d", 5000);
        } else {
            raise_error(error, function, "stub failure injected into %s", function);
        }
        return 0;
    }

    return 1;
}

static object* new_object(int kind)
{
    object* o = calloc(1, sizeof *o);
    o->magic = LIVE_MAGIC;
    o->kind = kind;
    live[kind]++;
    return o;
}

static object* check(const void* handle, int kind, const char* function, rs2_error** error)
{
    const object* o = handle;
    if (o == NULL || o->magic != LIVE_MAGIC || o->kind != kind) {
        note_misuse("%s: bad %s handle %p (%s)", function, kind_names[kind], handle,
            o == NULL ? "null" : o->magic == DEAD_MAGIC ? "already deleted" : "wrong type");
        raise_error(error, function, "invalid %s handle", kind_names[kind]);
        return NULL;
    }

    return (object*)o;
}

static void delete_object(void* handle, int kind, const char* function)
{
    count_call(function);
    object* o = check(handle, kind, function, NULL);
    if (o == NULL) {
        return;
    }

    o->magic = DEAD_MAGIC;
    free(o->data);
    o->data = NULL;
    live[kind]--;
}

/* ---- test controls ---- */

EXPORT void stub_reset(void)
{
    device_count = 1;
    snprintf(device_name, sizeof device_name, "%s", "Intel RealSense D435 (stub)");
    frame_width = 64;
    frame_height = 48;
    frame_stride = 64 * 2 + 24; /* padded rows: a copy that ignores the stride shows up */
    memset(&intrinsics, 0, sizeof intrinsics);
    intrinsics.ppx = 31.5f;
    intrinsics.ppy = 23.25f;
    intrinsics.fx = 42.5f;
    intrinsics.fy = 43.0f;
    intrinsics.model = 4; /* RS2_DISTORTION_BROWN_CONRADY */
    depth_scale = 0.001f;
    first_timestamp = 1000.0;
    frame_interval = 33.25;
    frame_number = 0;
    fail_function[0] = '\0';
    fail_is_timeout = 0;
    memset(live, 0, sizeof live);
    misuse = 0;
    last_misuse[0] = '\0';
    last_file[0] = '\0';
    last_serial[0] = '\0';
    memset(last_stream_args, 0, sizeof last_stream_args);
    last_api_version = 0;
    memset(calls, 0, sizeof calls);
}

EXPORT void stub_set_device_count(int count) { device_count = count; }

EXPORT void stub_set_device_name(const char* name) { snprintf(device_name, sizeof device_name, "%s", name); }

EXPORT void stub_set_frame_layout(int width, int height, int stride_bytes)
{
    frame_width = width;
    frame_height = height;
    frame_stride = stride_bytes;
}

EXPORT void stub_set_intrinsics(float ppx, float ppy, float fx, float fy, int model, const float* coeffs)
{
    intrinsics.ppx = ppx;
    intrinsics.ppy = ppy;
    intrinsics.fx = fx;
    intrinsics.fy = fy;
    intrinsics.model = model;
    for (int i = 0; i < 5; i++) {
        intrinsics.coeffs[i] = coeffs == NULL ? 0.0f : coeffs[i];
    }
}

EXPORT void stub_set_depth_scale(float scale) { depth_scale = scale; }

/* The next call of `function` fails with an rs2_error naming it. */
EXPORT void stub_fail_next(const char* function)
{
    snprintf(fail_function, sizeof fail_function, "%s", function);
    fail_is_timeout = 0;
}

/* The next rs2_pipeline_wait_for_frames fails the way librealsense reports a timeout. */
EXPORT void stub_timeout_next_wait(void)
{
    snprintf(fail_function, sizeof fail_function, "%s", "rs2_pipeline_wait_for_frames");
    fail_is_timeout = 1;
}

EXPORT int stub_live_handles(void)
{
    int total = 0;
    for (int k = 0; k < K_COUNT; k++) {
        total += live[k];
    }

    return total;
}

/* "context=0 device_list=0 ..." for assertion messages. */
EXPORT const char* stub_live_report(void)
{
    static char report[512];
    size_t used = 0;
    report[0] = '\0';
    for (int k = 0; k < K_COUNT && used < sizeof report; k++) {
        used += (size_t)snprintf(report + used, sizeof report - used, "%s%s=%d", k == 0 ? "" : " ", kind_names[k], live[k]);
    }

    return report;
}

EXPORT int stub_misuse_count(void) { return misuse; }
EXPORT const char* stub_last_misuse(void) { return last_misuse; }
EXPORT const char* stub_last_playback_file(void) { return last_file; }
EXPORT const char* stub_last_enabled_serial(void) { return last_serial; }
EXPORT int stub_last_api_version(void) { return last_api_version; }
EXPORT int stub_sizeof_intrinsics(void) { return (int)sizeof(rs2_intrinsics); }

/* stream, index, width, height, format, framerate of the last rs2_config_enable_stream. */
EXPORT void stub_last_enabled_stream(int* out6) { memcpy(out6, last_stream_args, sizeof last_stream_args); }

EXPORT int stub_call_count(const char* function)
{
    for (int i = 0; i < MAX_CALLS && calls[i].name[0] != '\0'; i++) {
        if (strcmp(calls[i].name, function) == 0) {
            return calls[i].count;
        }
    }

    return 0;
}

/* ---- errors (rs_types.h) ---- */

const char* rs2_get_error_message(const rs2_error* error)
{
    if (error == NULL || error->magic != ERROR_MAGIC) {
        note_misuse("rs2_get_error_message: bad error %p", (const void*)error);
        return "";
    }

    return error->message;
}

const char* rs2_get_failed_function(const rs2_error* error)
{
    if (error == NULL || error->magic != ERROR_MAGIC) {
        note_misuse("rs2_get_failed_function: bad error %p", (const void*)error);
        return "";
    }

    return error->function;
}

void rs2_free_error(rs2_error* error)
{
    if (error == NULL || error->magic != ERROR_MAGIC) {
        note_misuse("rs2_free_error: bad error %p", (void*)error);
        return;
    }

    error->magic = DEAD_MAGIC;
    live[K_ERROR]--;
}

/* ---- context and devices (rs_context.h, rs_device.h) ---- */

void* rs2_create_context(int api_version, rs2_error** error)
{
    if (!enter("rs2_create_context", error)) {
        return NULL;
    }

    last_api_version = api_version;
    /* Runtime "2.55.1": librealsense's rule is same major, caller's minor not above the library's. */
    if (api_version / 10000 != 2 || (api_version % 10000) / 100 > 55) {
        raise_error(error, "rs2_create_context", "API version mismatch: librealsense.so was compiled with API version 2.55.1");
        return NULL;
    }

    return new_object(K_CONTEXT);
}

void rs2_delete_context(void* context) { delete_object(context, K_CONTEXT, "rs2_delete_context"); }

void* rs2_query_devices(const void* context, rs2_error** error)
{
    if (!enter("rs2_query_devices", error) || !check(context, K_CONTEXT, "rs2_query_devices", error)) {
        return NULL;
    }

    return new_object(K_DEVICE_LIST);
}

int rs2_get_device_count(const void* list, rs2_error** error)
{
    if (!enter("rs2_get_device_count", error) || !check(list, K_DEVICE_LIST, "rs2_get_device_count", error)) {
        return 0;
    }

    return device_count;
}

void rs2_delete_device_list(void* list) { delete_object(list, K_DEVICE_LIST, "rs2_delete_device_list"); }

void* rs2_create_device(const void* list, int index, rs2_error** error)
{
    if (!enter("rs2_create_device", error) || !check(list, K_DEVICE_LIST, "rs2_create_device", error)) {
        return NULL;
    }

    if (index < 0 || index >= device_count) {
        raise_error(error, "rs2_create_device", "out of range value for argument \"index\"");
        return NULL;
    }

    object* device = new_object(K_DEVICE);
    device->index = index;
    return device;
}

void rs2_delete_device(void* device) { delete_object(device, K_DEVICE, "rs2_delete_device"); }

static void serial_of(int index, char* buffer, size_t size)
{
    if (index < 0) {
        snprintf(buffer, size, "%s", "846112070000"); /* the serial recorded in "the bag" */
    } else {
        snprintf(buffer, size, "84612207%04d", index);
    }
}

int rs2_supports_device_info(const void* device, int info, rs2_error** error)
{
    if (!enter("rs2_supports_device_info", error) || !check(device, K_DEVICE, "rs2_supports_device_info", error)) {
        return 0;
    }

    return info == RS2_CAMERA_INFO_NAME || info == RS2_CAMERA_INFO_SERIAL_NUMBER;
}

const char* rs2_get_device_info(const void* handle, int info, rs2_error** error)
{
    object* device = enter("rs2_get_device_info", error) ? check(handle, K_DEVICE, "rs2_get_device_info", error) : NULL;
    if (device == NULL) {
        return NULL;
    }

    /* Like librealsense: the string lives as long as the device (kept in the handle). */
    if (info == RS2_CAMERA_INFO_NAME) {
        snprintf(device->file, sizeof device->file, "%s", device_name);
        return device->file;
    }

    if (info == RS2_CAMERA_INFO_SERIAL_NUMBER) {
        serial_of(device->index, device->serial, sizeof device->serial);
        return device->serial;
    }

    raise_error(error, "rs2_get_device_info", "Selected camera info is not supported for this camera!");
    return NULL;
}

/* ---- config (rs_config.h) ---- */

void* rs2_create_config(rs2_error** error)
{
    if (!enter("rs2_create_config", error)) {
        return NULL;
    }

    return new_object(K_CONFIG);
}

void rs2_delete_config(void* config) { delete_object(config, K_CONFIG, "rs2_delete_config"); }

void rs2_config_enable_stream(void* handle, int stream, int index, int width, int height, int format, int framerate, rs2_error** error)
{
    object* config = enter("rs2_config_enable_stream", error) ? check(handle, K_CONFIG, "rs2_config_enable_stream", error) : NULL;
    if (config == NULL) {
        return;
    }

    int args[6] = { stream, index, width, height, format, framerate };
    memcpy(config->stream_args, args, sizeof args);
    memcpy(last_stream_args, args, sizeof args);
    config->has_stream = 1;
}

void rs2_config_enable_device(void* handle, const char* serial, rs2_error** error)
{
    object* config = enter("rs2_config_enable_device", error) ? check(handle, K_CONFIG, "rs2_config_enable_device", error) : NULL;
    if (config == NULL) {
        return;
    }

    snprintf(config->serial, sizeof config->serial, "%s", serial);
    snprintf(last_serial, sizeof last_serial, "%s", serial);
}

void rs2_config_enable_device_from_file(void* handle, const char* file, rs2_error** error)
{
    object* config = enter("rs2_config_enable_device_from_file", error)
        ? check(handle, K_CONFIG, "rs2_config_enable_device_from_file", error) : NULL;
    if (config == NULL) {
        return;
    }

    snprintf(config->file, sizeof config->file, "%s", file);
    snprintf(last_file, sizeof last_file, "%s", file);
}

/* ---- pipeline (rs_pipeline.h) ---- */

void* rs2_create_pipeline(void* context, rs2_error** error)
{
    if (!enter("rs2_create_pipeline", error) || !check(context, K_CONTEXT, "rs2_create_pipeline", error)) {
        return NULL;
    }

    return new_object(K_PIPELINE);
}

void rs2_delete_pipeline(void* pipe) { delete_object(pipe, K_PIPELINE, "rs2_delete_pipeline"); }

void* rs2_pipeline_start_with_config(void* pipe_handle, void* config_handle, rs2_error** error)
{
    const char* function = "rs2_pipeline_start_with_config";
    if (!enter(function, error)) {
        return NULL;
    }

    object* pipe = check(pipe_handle, K_PIPELINE, function, error);
    object* config = pipe == NULL ? NULL : check(config_handle, K_CONFIG, function, error);
    if (config == NULL) {
        return NULL;
    }

    if (pipe->started) {
        raise_error(error, function, "start() cannot be called before stop()");
        return NULL;
    }

    int device_index = -1;
    if (config->file[0] == '\0') {
        if (device_count <= 0) {
            raise_error(error, function, "No device connected");
            return NULL;
        }

        device_index = 0;
        if (config->serial[0] != '\0') {
            device_index = -2;
            for (int i = 0; i < device_count; i++) {
                char serial[64];
                serial_of(i, serial, sizeof serial);
                if (strcmp(serial, config->serial) == 0) {
                    device_index = i;
                }
            }

            if (device_index == -2) {
                raise_error(error, function, "Couldn't resolve requests");
                return NULL;
            }
        }
    }

    if (config->has_stream && config->stream_args[0] != RS2_STREAM_DEPTH) {
        raise_error(error, function, "Couldn't resolve requests");
        return NULL;
    }

    pipe->started = 1;
    object* profile = new_object(K_PROFILE);
    profile->index = device_index;
    depth_profile.framerate = config->has_stream && config->stream_args[5] > 0 ? config->stream_args[5] : 30;
    return profile;
}

void rs2_delete_pipeline_profile(void* profile) { delete_object(profile, K_PROFILE, "rs2_delete_pipeline_profile"); }

void rs2_pipeline_stop(void* handle, rs2_error** error)
{
    object* pipe = enter("rs2_pipeline_stop", error) ? check(handle, K_PIPELINE, "rs2_pipeline_stop", error) : NULL;
    if (pipe == NULL) {
        return;
    }

    if (!pipe->started) {
        raise_error(error, "rs2_pipeline_stop", "stop() cannot be called before start()");
        return;
    }

    pipe->started = 0;
}

void* rs2_pipeline_profile_get_device(void* profile_handle, rs2_error** error)
{
    object* profile = enter("rs2_pipeline_profile_get_device", error)
        ? check(profile_handle, K_PROFILE, "rs2_pipeline_profile_get_device", error) : NULL;
    if (profile == NULL) {
        return NULL;
    }

    object* device = new_object(K_DEVICE);
    device->index = profile->index;
    return device;
}

void* rs2_pipeline_wait_for_frames(void* handle, unsigned int timeout_ms, rs2_error** error)
{
    (void)timeout_ms;
    object* pipe = enter("rs2_pipeline_wait_for_frames", error)
        ? check(handle, K_PIPELINE, "rs2_pipeline_wait_for_frames", error) : NULL;
    if (pipe == NULL) {
        return NULL;
    }

    if (!pipe->started) {
        raise_error(error, "rs2_pipeline_wait_for_frames", "wait_for_frames cannot be called before start()");
        return NULL;
    }

    object* depth = new_object(K_FRAME);
    depth->refs = 1; /* held by the composite */
    depth->width = frame_width;
    depth->height = frame_height;
    depth->stride = frame_stride;
    depth->timestamp = first_timestamp + frame_number * frame_interval;
    depth->data = malloc((size_t)frame_stride * (size_t)frame_height);
    memset(depth->data, 0xAB, (size_t)frame_stride * (size_t)frame_height); /* padding is garbage */
    for (int y = 0; y < frame_height; y++) {
        uint16_t* row = (uint16_t*)(depth->data + (size_t)y * (size_t)frame_stride);
        for (int x = 0; x < frame_width; x++) {
            row[x] = (uint16_t)(frame_number * 7 + x + 3 * y);
        }
    }

    frame_number++;
    object* composite = new_object(K_FRAME);
    composite->refs = 1;
    composite->child = depth;
    return composite;
}

/* ---- frames (rs_frame.h) ---- */

/* live[K_FRAME] counts frame references: a composite and its depth frame hold one each. */
static void release_reference(object* frame)
{
    live[K_FRAME]--;
    if (--frame->refs > 0) {
        return;
    }

    object* child = frame->child;
    frame->magic = DEAD_MAGIC;
    free(frame->data);
    frame->data = NULL;
    if (child != NULL) {
        release_reference(child);
    }
}

void rs2_release_frame(void* handle)
{
    count_call("rs2_release_frame");
    object* frame = check(handle, K_FRAME, "rs2_release_frame", NULL);
    if (frame != NULL) {
        release_reference(frame);
    }
}

int rs2_embedded_frames_count(void* handle, rs2_error** error)
{
    object* frame = enter("rs2_embedded_frames_count", error) ? check(handle, K_FRAME, "rs2_embedded_frames_count", error) : NULL;
    if (frame == NULL) {
        return 0;
    }

    if (frame->child == NULL) {
        raise_error(error, "rs2_embedded_frames_count", "Object does not support \"librealsense::composite_frame\" interface!");
        return 0;
    }

    return 1;
}

void* rs2_extract_frame(void* handle, int index, rs2_error** error)
{
    object* frame = enter("rs2_extract_frame", error) ? check(handle, K_FRAME, "rs2_extract_frame", error) : NULL;
    if (frame == NULL) {
        return NULL;
    }

    if (frame->child == NULL || index != 0) {
        raise_error(error, "rs2_extract_frame", "out of range value for argument \"index\"");
        return NULL;
    }

    /* Like librealsense: the extracted frame is acquired and must be released by the caller. */
    frame->child->refs++;
    live[K_FRAME]++;
    return frame->child;
}

static object* video_frame(const void* handle, const char* function, rs2_error** error)
{
    object* frame = enter(function, error) ? check(handle, K_FRAME, function, error) : NULL;
    if (frame != NULL && frame->data == NULL) {
        raise_error(error, function, "Object does not support \"librealsense::video_frame\" interface!");
        return NULL;
    }

    return frame;
}

const void* rs2_get_frame_data(const void* handle, rs2_error** error)
{
    object* frame = video_frame(handle, "rs2_get_frame_data", error);
    return frame == NULL ? NULL : frame->data;
}

int rs2_get_frame_width(const void* handle, rs2_error** error)
{
    object* frame = video_frame(handle, "rs2_get_frame_width", error);
    return frame == NULL ? 0 : frame->width;
}

int rs2_get_frame_height(const void* handle, rs2_error** error)
{
    object* frame = video_frame(handle, "rs2_get_frame_height", error);
    return frame == NULL ? 0 : frame->height;
}

int rs2_get_frame_stride_in_bytes(const void* handle, rs2_error** error)
{
    object* frame = video_frame(handle, "rs2_get_frame_stride_in_bytes", error);
    return frame == NULL ? 0 : frame->stride;
}

double rs2_get_frame_timestamp(const void* handle, rs2_error** error)
{
    object* frame = video_frame(handle, "rs2_get_frame_timestamp", error);
    return frame == NULL ? 0.0 : frame->timestamp;
}

const void* rs2_get_frame_stream_profile(const void* handle, rs2_error** error)
{
    object* frame = video_frame(handle, "rs2_get_frame_stream_profile", error);
    return frame == NULL ? NULL : &depth_profile;
}

/* ---- stream profiles and sensors (rs_sensor.h) ---- */

static const stream_profile* check_profile(const void* handle, const char* function, rs2_error** error)
{
    if (handle != &depth_profile) {
        note_misuse("%s: bad stream profile %p", function, handle);
        raise_error(error, function, "invalid stream profile");
        return NULL;
    }

    return handle;
}

void rs2_get_stream_profile_data(const void* handle, int* stream, int* format, int* index, int* unique_id, int* framerate, rs2_error** error)
{
    const char* function = "rs2_get_stream_profile_data";
    const stream_profile* profile = enter(function, error) ? check_profile(handle, function, error) : NULL;
    if (profile == NULL) {
        return;
    }

    *stream = profile->stream;
    *format = profile->format;
    *index = profile->index;
    *unique_id = profile->unique_id;
    *framerate = profile->framerate;
}

void rs2_get_video_stream_intrinsics(const void* handle, rs2_intrinsics* out, rs2_error** error)
{
    const char* function = "rs2_get_video_stream_intrinsics";
    if (!enter(function, error) || !check_profile(handle, function, error)) {
        return;
    }

    *out = intrinsics;
    out->width = frame_width;
    out->height = frame_height;
}

/* Two sensors like a D435: an RGB camera first, then the stereo (depth) module. */
void* rs2_query_sensors(const void* device, rs2_error** error)
{
    if (!enter("rs2_query_sensors", error) || !check(device, K_DEVICE, "rs2_query_sensors", error)) {
        return NULL;
    }

    return new_object(K_SENSOR_LIST);
}

int rs2_get_sensors_count(const void* list, rs2_error** error)
{
    if (!enter("rs2_get_sensors_count", error) || !check(list, K_SENSOR_LIST, "rs2_get_sensors_count", error)) {
        return 0;
    }

    return 2;
}

void rs2_delete_sensor_list(void* list) { delete_object(list, K_SENSOR_LIST, "rs2_delete_sensor_list"); }

void* rs2_create_sensor(const void* list, int index, rs2_error** error)
{
    if (!enter("rs2_create_sensor", error) || !check(list, K_SENSOR_LIST, "rs2_create_sensor", error)) {
        return NULL;
    }

    if (index < 0 || index >= 2) {
        raise_error(error, "rs2_create_sensor", "out of range value for argument \"index\"");
        return NULL;
    }

    object* sensor = new_object(K_SENSOR);
    sensor->index = index;
    return sensor;
}

void rs2_delete_sensor(void* sensor) { delete_object(sensor, K_SENSOR, "rs2_delete_sensor"); }

int rs2_is_sensor_extendable_to(const void* handle, int extension, rs2_error** error)
{
    object* sensor = enter("rs2_is_sensor_extendable_to", error)
        ? check(handle, K_SENSOR, "rs2_is_sensor_extendable_to", error) : NULL;
    if (sensor == NULL) {
        return 0;
    }

    return sensor->index == 1 && extension == RS2_EXTENSION_DEPTH_SENSOR;
}

float rs2_get_depth_scale(void* handle, rs2_error** error)
{
    object* sensor = enter("rs2_get_depth_scale", error) ? check(handle, K_SENSOR, "rs2_get_depth_scale", error) : NULL;
    if (sensor == NULL) {
        return 0.0f;
    }

    if (sensor->index != 1) {
        raise_error(error, "rs2_get_depth_scale", "Object does not support \"librealsense::depth_sensor\" interface!");
        return 0.0f;
    }

    return depth_scale;
}
